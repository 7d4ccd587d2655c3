// The chart of a campaign's confirmed entries by country (review/campaigns/campaign_detail.html).
(function () {
  "use strict";
  var canvas = document.getElementById("country-chart");
  if (!canvas || !window.Chart) { return; }
  var data = JSON.parse(document.getElementById("country-chart-data").textContent);
  var label = JSON.parse(document.getElementById("country-chart-label").textContent);
  var axis = JSON.parse(document.getElementById("country-chart-axis").textContent);
  var rtl = document.documentElement.dir === "rtl";
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var style = getComputedStyle(document.documentElement);
  var ink = style.getPropertyValue("--ink").trim() || "#1b2631";
  // Country names are written whole, on several lines where a phone is too narrow for one: each
  // row of the chart is as tall as the longest name needs.
  var narrow = canvas.clientWidth < 560;
  var fontSize = narrow ? 12 : 13;
  var room = Math.max(14, Math.floor(canvas.clientWidth / (narrow ? 16 : 22)));
  var names = data.labels.map(function (name) { return wrap(name, room); });
  var lines = Math.max.apply(null, names.map(function (name) { return name.length; }).concat([1]));
  if (lines > 1) {
    canvas.parentElement.style.blockSize = (data.labels.length * (lines * (fontSize + 3) + 10) + 56) + "px";
  }
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{
        label: label,
        data: data.percents,
        backgroundColor: style.getPropertyValue("--ok").trim() || "#1e6b34",
        borderRadius: 3,
        barThickness: 18,
      }],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      animation: still ? false : undefined,
      locale: document.documentElement.lang || undefined,
      plugins: {
        legend: { display: false },
        tooltip: {
          rtl: rtl,
          callbacks: {
            label: function (item) {
              var counts = data.counts[item.dataIndex];
              return item.parsed.x + "% (" + counts[0] + "/" + counts[1] + ")";
            },
          },
        },
      },
      scales: {
        x: {
          min: 0, max: 100, reverse: rtl,
          title: { display: true, text: axis, color: ink },
          ticks: { color: ink, callback: function (value) { return value + "%"; } },
        },
        y: {
          position: rtl ? "right" : "left",
          ticks: {
            autoSkip: false,
            color: ink,
            font: { size: fontSize },
            callback: function (value) { return names[value]; },
          },
        },
      },
    },
  });

  function wrap(name, room) {
    var result = [];
    name.split(" ").forEach(function (word) {
      var last = result.length - 1;
      if (last >= 0 && (result[last] + " " + word).length <= room) {
        result[last] += " " + word;
      } else {
        result.push(word);
      }
    });
    return result;
  }
})();
