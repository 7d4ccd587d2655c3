/* The summary page: a map of each geopoint question's answers (the points are in a table
   beside it, for screen readers and without JavaScript). The counts are drawn as bars in their
   tables by the style sheet, without a script. */
(function () {
  "use strict";

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
    if (window.L && window.MercuryMap) { document.querySelectorAll("[data-answer-map]").forEach(answerMap); }
  });
}());
