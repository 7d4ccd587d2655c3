/* The summary page: a chart drawn from each table marked data-chart (the table stays, for
   screen readers and without JavaScript), and a map of each geopoint question's answers. */
(function () {
  "use strict";

  function barChart(table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var labels = rows.map(function (row) { return row.cells[0].textContent.trim(); });
    var datasets;
    if (table.dataset.chart === "grouped") {
      var heads = Array.prototype.slice.call(table.tHead.rows[0].cells, 1, -1);
      datasets = heads.map(function (head, column) {
        return {
          label: head.textContent.trim(),
          data: rows.map(function (row) { return Number(row.cells[column + 1].dataset.value); })
        };
      });
    } else {
      datasets = [{
        label: table.caption ? table.caption.textContent.trim() : "",
        data: rows.map(function (row) { return Number(row.querySelector("[data-value]").dataset.value); }),
        backgroundColor: "#1f77b4"
      }];
    }
    var canvas = document.createElement("canvas");
    canvas.setAttribute("aria-hidden", "true");  // the table gives the same figures
    var box = document.createElement("div");
    box.className = "summary-chart";
    box.style.height = Math.max(160, labels.length * (datasets.length > 1 ? 14 * datasets.length : 26)) + "px";
    box.appendChild(canvas);
    table.parentNode.parentNode.insertBefore(box, table.parentNode);
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: "y", maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: datasets.length > 1 } }
      }
    });
  }

  function answerMap(element) {
    var points = JSON.parse(document.getElementById(element.dataset.answerMap).textContent);
    var map = window.MercuryMap.createMap(element);
    var layer = L.featureGroup();
    points.forEach(function (point) {
      L.circleMarker([point[1], point[0]], { radius: 5, weight: 1 }).addTo(layer);
    });
    layer.addTo(map);
    if (points.length) { map.fitBounds(layer.getBounds(), { maxZoom: 10, padding: [20, 20] }); }
    else { map.setView([0, 0], 1); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.Chart) { document.querySelectorAll("table[data-chart]").forEach(barChart); }
    if (window.L && window.MercuryMap) { document.querySelectorAll("[data-answer-map]").forEach(answerMap); }
  });
}());
