/* The projects' map: the list's projects from its GeoJSON (data-geojson-url), or one project's
   points given in the page (#project-features), with the shared map of catalogue/map.js. */
(function () {
  "use strict";

  function popup(properties) {
    var M = window.MercuryMap;
    var box = M.element("div", null, "map-popup");
    var link = M.element("a", properties.name, "map-popup-title");
    link.href = properties.url;
    var title = M.element("p");
    title.appendChild(link);
    box.appendChild(title);
    var years = [properties.first_year, properties.last_year].filter(Boolean);
    var facts = [properties.place, properties.status_label, years.join("–"), properties.funder];
    box.appendChild(M.element("p", facts.filter(Boolean).join(" · ")));
    return box;
  }

  function draw(map, features) {
    var M = window.MercuryMap;
    var points = [];
    features.forEach(function (feature) {
      var coordinates = feature.geometry.coordinates;
      var latlng = [coordinates[1], coordinates[0]];
      var status = feature.properties.status === "completed" ? "closed" : "operating";
      var marker = M.facilityMarker(latlng, status);
      marker.bindPopup(function () { return popup(feature.properties); });
      marker.bindTooltip(feature.properties.name);
      marker.addTo(map);
      points.push(latlng);
    });
    M.fitPoints(map, points);
    return points.length;
  }

  function start() {
    if (typeof L === "undefined" || !window.MercuryMap) {
      return;
    }
    document.querySelectorAll("[data-project-map]").forEach(function (node) {
      var map = window.MercuryMap.createMap(node);
      var given = document.getElementById("project-features");
      if (given) {
        node.dataset.markers = String(draw(map, JSON.parse(given.textContent)));
        return;
      }
      var labels = window.MercuryMap.labels("project-map-labels");
      var status = document.getElementById("project-map-status");
      var say = function (text) { if (status) { status.textContent = text; } };
      map.setView([15, 10], 2);
      say(labels.loading);
      fetch(node.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.json(); })
        .then(function (collection) {
          var count = draw(map, collection.features || []);
          node.dataset.markers = String(count);
          say(count ? window.MercuryMap.format(labels.shown, { count: count }) : labels.none);
        })
        .catch(function () { say(labels.failed); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
