/* The event pages: the map of the events held in a place ([data-events-map], points from the
   JSON #events-map-points, drawn with catalogue/map.js's window.MercuryMap), and an event's times
   in the reader's own time zone ([data-reader-time], after the times in UTC). */
(function () {
  "use strict";

  function drawMap(node) {
    var M = window.MercuryMap;
    var data = document.getElementById("events-map-points");
    if (!M || typeof L === "undefined" || !data) { return; }
    var points = JSON.parse(data.textContent);
    var map = M.createMap(node, {});
    var latlngs = [];
    points.forEach(function (point) {
      var latlng = [point.lat, point.lon];
      latlngs.push(latlng);
      var box = M.element("div", null, "map-popup");
      var link = M.element("a", point.name, "map-popup-title");
      link.href = point.url;
      box.appendChild(link);
      box.appendChild(M.element("p", point.when));
      box.appendChild(M.element("p", point.place));
      L.circleMarker(latlng, { radius: 8, color: "#ffffff", weight: 2, fillColor: "#005a9c", fillOpacity: 0.9 })
        .bindPopup(box)
        .bindTooltip(point.name)
        .addTo(map);
    });
    if (latlngs.length === 1) {
      map.setView(latlngs[0], 5);
    } else {
      map.fitBounds(latlngs, { padding: [30, 30], maxZoom: 6 });
    }
  }

  function readerTime(node) {
    if (!window.Intl) { return; }
    var language = document.documentElement.lang || "en";
    var options = { dateStyle: "medium", timeStyle: "short" };
    var start = new Date(node.dataset.start);
    var end = new Date(node.dataset.end);
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var format = new Intl.DateTimeFormat(language, options);
    var line = document.createElement("span");
    line.className = "small";
    line.textContent = node.dataset.label + " " + format.format(start) + " – " + format.format(end) + (zone ? " (" + zone + ")" : "");
    node.parentNode.insertBefore(document.createElement("br"), node.nextSibling);
    node.parentNode.insertBefore(line, node.nextSibling.nextSibling);
  }

  function start() {
    document.querySelectorAll("[data-events-map]").forEach(drawMap);
    document.querySelectorAll("[data-reader-time]").forEach(readerTime);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
