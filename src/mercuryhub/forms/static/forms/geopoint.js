/* The map picker of a web form's geopoint questions (templates/forms/webform/geopoint.html).
   The latitude and longitude inputs work alone; with Leaflet and the maps' script
   (catalogue/map.js: the offline world basemap, or the site's tiles when configured) a map shows
   the point, a click or tap on the map sets it, typing moves it, and "Use my location" asks the
   browser. Nothing is loaded from the internet. */
(function () {
  "use strict";
  var DIGITS = 6; // about 0.1 m

  function round(value) {
    return String(Math.round(value * Math.pow(10, DIGITS)) / Math.pow(10, DIGITS));
  }

  function start(box) {
    var mapElement = box.querySelector("[data-geopoint-map]");
    var latitude = box.querySelector("[data-latitude]");
    var longitude = box.querySelector("[data-longitude]");
    var altitude = box.querySelector("[data-altitude]");
    var accuracy = box.querySelector("[data-accuracy]");
    var status = box.querySelector("[data-geopoint-status]");
    var locate = box.querySelector("[data-geopoint-locate]");
    var map = window.MercuryMap.createMap(mapElement, { scrollWheelZoom: false });
    box.querySelector("[data-geopoint-help]").hidden = false;
    var marker = null;

    function typed() {
      var lat = parseFloat(latitude.value);
      var lon = parseFloat(longitude.value);
      if (isNaN(lat) || isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
        return null;
      }
      return L.latLng(lat, lon);
    }

    function show(point, zoom) {
      if (!point) {
        if (marker) {
          map.removeLayer(marker);
          marker = null;
        }
        return;
      }
      if (!marker) {
        marker = window.MercuryMap.facilityMarker(point, "unknown", { radius: 8, fillColor: "#1b2631" }).addTo(map);
      } else {
        marker.setLatLng(point);
      }
      if (zoom) {
        map.setView(point, Math.max(map.getZoom(), zoom));
      }
    }

    function set(point, alt, acc) {
      latitude.value = round(point.lat);
      longitude.value = round(L.Util.wrapNum(point.lng, [-180, 180], true));
      altitude.value = alt === undefined || alt === null ? "" : String(alt);
      accuracy.value = acc === undefined || acc === null ? "" : String(acc);
      show(typed());
      latitude.dispatchEvent(new Event("change", { bubbles: true }));
    }

    var first = typed();
    map.setView(first || [10, 10], first ? 8 : 2);
    show(first);
    map.on("click", function (event) { set(event.latlng); });
    [latitude, longitude].forEach(function (input) {
      input.addEventListener("input", function () {
        altitude.value = "";
        accuracy.value = "";
        show(typed(), 6);
      });
    });

    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        status.textContent = locate.dataset.locating;
        navigator.geolocation.getCurrentPosition(function (position) {
          var coords = position.coords;
          set(L.latLng(coords.latitude, coords.longitude), coords.altitude, coords.accuracy);
          map.setView(typed(), 14);
          status.textContent = locate.dataset.located;
        }, function () {
          status.textContent = locate.dataset.notLocated;
        }, { enableHighAccuracy: true, timeout: 20000 });
      });
    }
  }

  function startAll() {
    if (typeof L === "undefined" || !window.MercuryMap) {
      return; // the inputs alone do
    }
    document.querySelectorAll("[data-geopoint]").forEach(function (box) {
      if (!box.dataset.started && !box.closest("template")) {
        box.dataset.started = "1";
        start(box);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
  // a geopoint in a repeat instance added by repeats.js
  document.addEventListener("webform:changed", startAll, true);
})();
