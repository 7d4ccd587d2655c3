/* The partners' map ([data-partner-map]): a circle at the centre of each country with partners
   in the list, its size growing with their number, with a popup naming the country and the
   number and linking the list of that country's partners.

   Needs Leaflet and catalogue/map.js (window.MercuryMap: the offline basemap). */
(function () {
  "use strict";

  var rtl = document.documentElement.dir === "rtl";

  if (!window.MercuryMap) { return; } // catalogue/map.js did not load: the list stays
  var json = window.MercuryMap.data;
  var element = window.MercuryMap.element;

  function popup(point, words) {
    var box = element("div", null, "map-popup");
    box.setAttribute("dir", rtl ? "rtl" : "ltr");
    box.appendChild(element("p", point.name, "map-popup-title"));
    var count = element("p");
    count.appendChild(element("span", words.partners + ": ", "map-popup-label"));
    count.appendChild(document.createTextNode(String(point.count)));
    box.appendChild(count);
    var paragraph = element("p");
    var anchor = element("a", words.show, "map-popup-link");
    anchor.href = point.url;
    paragraph.appendChild(anchor);
    box.appendChild(paragraph);
    return box;
  }

  function start() {
    var mapElement = document.querySelector("[data-partner-map]");
    var points = json("partner-map-points");
    if (!mapElement || !points || !window.L || !window.MercuryMap) { return; }
    var words = json("partner-map-labels") || {};
    var map = window.MercuryMap.createMap(mapElement);
    map.setView([15, 10], 1);
    var bounds = [];
    points.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: Math.min(6 + 3 * Math.sqrt(point.count), 22),
        color: "#ffffff", weight: 1.5, fillColor: "#0b5d7a", fillOpacity: 0.85
      });
      marker.bindPopup(function () { return popup(point, words); });
      marker.bindTooltip(point.name + " (" + point.count + ")");
      marker.addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 5 }); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
