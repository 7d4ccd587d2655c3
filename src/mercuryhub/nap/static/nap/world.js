/* National Action Plans around the world ([data-nap-map]): a point at the centre of each country
   of the table, coloured by the status of its plan (the colours of the legend's swatches,
   .nap-status-<status> in nap.css), with a popup naming the country, its status and date, and
   linking its page and its plan on MercuryHub.

   Needs Leaflet and catalogue/map.js (window.MercuryMap: the offline basemap). */
(function () {
  "use strict";

  var rtl = document.documentElement.dir === "rtl";

  if (!window.MercuryMap) { return; } // catalogue/map.js did not load: the list stays
  var json = window.MercuryMap.data;
  var element = window.MercuryMap.element;

  function colour(status) {
    var probe = element("span", null, "swatch nap-status-" + status);
    probe.hidden = true;
    document.body.appendChild(probe);
    var value = window.getComputedStyle(probe).backgroundColor;
    probe.remove();
    return value || "#5f6b77";
  }

  function link(text, href) {
    var paragraph = element("p");
    var anchor = element("a", text, "map-popup-link");
    anchor.href = href;
    paragraph.appendChild(anchor);
    return paragraph;
  }

  function popup(point, words) {
    var box = element("div", null, "map-popup");
    box.setAttribute("dir", rtl ? "rtl" : "ltr");
    box.appendChild(element("p", point.name, "map-popup-title"));
    var status = element("p");
    status.appendChild(element("span", words.status + ": ", "map-popup-label"));
    status.appendChild(document.createTextNode(words.statuses[point.status] || point.status));
    box.appendChild(status);
    if (point.submitted_on) {
      var date = element("p");
      date.appendChild(element("span", words.submitted + ": ", "map-popup-label"));
      date.appendChild(document.createTextNode(point.submitted_on));
      box.appendChild(date);
    }
    box.appendChild(link(words.country_page, point.url));
    if (point.plan_url) { box.appendChild(link(words.plan, point.plan_url)); }
    return box;
  }

  function start() {
    var mapElement = document.querySelector("[data-nap-map]");
    var points = json("nap-map-points");
    if (!mapElement || !points || !window.L || !window.MercuryMap) { return; }
    var words = json("nap-map-labels") || {};
    var map = window.MercuryMap.createMap(mapElement);
    map.setView([5, 10], 2);
    var colours = {};
    var bounds = [];
    points.forEach(function (point) {
      if (!(point.status in colours)) { colours[point.status] = colour(point.status); }
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: 8, color: "#ffffff", weight: 1.5, fillColor: colours[point.status], fillOpacity: 0.95
      });
      marker.bindPopup(function () { return popup(point, words); });
      marker.bindTooltip(point.name);
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
