/* The facility finder's map: the starting point and the facilities found, numbered as in the
   list. A click on the map fills in the latitude and longitude, clears the country and asks again
   (once a waste category is chosen). Needs Leaflet and catalogue/map.js. On a phone, the results
   of a search are brought into view. */
(function () {
  "use strict";
  var FIT_NEAREST = 3; // the map opens on the starting point and the three nearest facilities

  // On a phone the results come below the form and the map: after a search, the page brings
  // them into view and moves the focus to their heading, so that a screen reader reads on there.
  function showResults() {
    var heading = document.getElementById("finder-results-heading");
    if (!heading || !window.matchMedia("(max-width: 55.99rem)").matches) {
      return;
    }
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
  }

  function start() {
    setUpMap(); // first: the map, shown once it runs, pushes the results down
    showResults();
  }

  function setUpMap() {
    var mapElement = document.querySelector("[data-finder-map]");
    var form = document.getElementById("finder-form");
    if (!mapElement || !form || typeof L === "undefined" || !window.MercuryMap) {
      return;
    }
    var data = JSON.parse(document.getElementById("finder-data").textContent);
    var labels = window.MercuryMap.labels("map-labels");
    var map = window.MercuryMap.createMap(mapElement);
    var points = [];
    var origin = null;

    function showOrigin(lat, lon) {
      if (origin) {
        origin.setLatLng([lat, lon]);
        return;
      }
      origin = window.MercuryMap.originMarker([lat, lon], labels.origin).addTo(map);
    }

    if (data.origin) {
      points.push([data.origin.lat, data.origin.lon]);
    }
    data.facilities.forEach(function (facility, index) {
      if (facility.lat === null || facility.lon === null) {
        return;
      }
      var marker = window.MercuryMap.facilityMarker([facility.lat, facility.lon], facility.status, { radius: 10 });
      marker.bindTooltip(String(index + 1), { permanent: true, direction: "center", className: "finder-rank" });
      marker.bindPopup(function () { return window.MercuryMap.distancePopup(facility, labels); });
      marker.addTo(map);
      if (index < FIT_NEAREST) {
        points.push([facility.lat, facility.lon]);
      }
    });
    if (data.origin) {
      showOrigin(data.origin.lat, data.origin.lon); // last, so that it is drawn on top
    }
    window.MercuryMap.fitPoints(map, points);

    var lat = form.elements.lat;
    var lon = form.elements.lon;
    var country = form.elements.country;
    var waste = form.elements.waste;
    var hint = document.getElementById("finder-map-hint");

    map.on("click", function (event) {
      var point = event.latlng.wrap();
      lat.value = point.lat.toFixed(4);
      lon.value = point.lng.toFixed(4);
      country.value = "";
      showOrigin(point.lat, point.lng);
      if (waste.value) {
        form.requestSubmit();
      } else {
        if (hint) {
          hint.textContent = labels.choose_waste;
        }
        waste.focus();
      }
    });
    // A country chosen from the list replaces a point given before.
    country.addEventListener("change", function () {
      if (country.value) {
        lat.value = "";
        lon.value = "";
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
