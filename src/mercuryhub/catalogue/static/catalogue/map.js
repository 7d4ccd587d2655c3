/* MercuryHub maps: the offline world basemap, facility markers coloured by status, the facility
   map page ([data-facility-map]) and the small maps of detail pages ([data-small-map]).

   Needs Leaflet, and Leaflet.markercluster for the facility map. Nothing is loaded from the
   internet: the country outlines are the vendored Natural Earth GeoJSON files; a tile layer is
   added only when the site is configured with one (data-tile-url). Circle markers are used
   instead of Leaflet's image markers, whose URLs break with hashed static file names. */
(function () {
  "use strict";
  if (window.MercuryMap) {
    return; // loaded twice (a page and a partial both asked for it)
  }

  var OCEAN = "#c9dde9";
  var LAND = { color: "#aab4be", weight: 0.6, fillColor: "#eef0f2", fillOpacity: 1 };
  var DETAIL_ZOOM = 4; // from this zoom on, the 1:50m outlines replace the 1:110m ones
  var FALLBACK_COLOURS = {
    operating: "#1e6b34",
    planned: "#0b5d7a",
    closed: "#6b7280",
    unknown: "#8a4b00",
  };
  var colours = {};
  var downloads = {};

  /* The colour of a status: the background of its badge in site.css (.status-<status>), so that
     markers, legend and lists agree. */
  function statusColour(status) {
    if (!(status in colours)) {
      var probe = document.createElement("span");
      probe.className = "status status-" + status;
      probe.hidden = true;
      document.body.appendChild(probe);
      var colour = window.getComputedStyle(probe).backgroundColor;
      probe.remove();
      var unset = !colour || colour === "transparent" || colour === "rgba(0, 0, 0, 0)";
      colours[status] = unset ? FALLBACK_COLOURS[status] || FALLBACK_COLOURS.unknown : colour;
    }
    return colours[status];
  }

  function download(url) {
    if (!downloads[url]) {
      downloads[url] = fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
        if (!response.ok) {
          throw new Error(url + ": HTTP " + response.status);
        }
        return response.json();
      });
    }
    return downloads[url];
  }

  /* A ring whose longitudes jump between 180 and -180 (eastern Russia, Fiji) would be drawn
     with an edge across the whole world: each step is taken the short way round instead, and a
     ring that goes round a pole (Antarctica) is closed along the pole. As lib/world.py does. */
  function continuousRing(ring) {
    var jumps = ring.some(function (point, i) {
      return i > 0 && Math.abs(point[0] - ring[i - 1][0]) > 180;
    });
    if (!jumps) {
      return ring;
    }
    var out = [[ring[0][0], ring[0][1]]];
    var latitudes = ring[0][1];
    for (var i = 1; i < ring.length; i++) {
      var previous = out[i - 1][0];
      var step = ring[i][0] - previous;
      step = ((step + 180) % 360 + 360) % 360 - 180;
      out.push([previous + step, ring[i][1]]);
      latitudes += ring[i][1];
    }
    var turn = out[out.length - 1][0] - out[0][0];
    if (Math.abs(turn) > 180) {
      var pole = latitudes < 0 ? -90 : 90;
      out.push([out[out.length - 1][0], pole], [out[0][0], pole], [out[0][0], out[0][1]]);
    }
    return out;
  }

  function continuousWorld(world) {
    (world.features || []).forEach(function (feature) {
      var geometry = feature.geometry;
      if (!geometry) {
        return;
      }
      var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      polygons.forEach(function (rings) {
        for (var i = 0; i < rings.length; i++) {
          rings[i] = continuousRing(rings[i]);
        }
      });
    });
    return world;
  }

  /* Country outlines under everything else, in their own pane, drawn on a canvas. */
  function addWorld(map, coarseUrl, detailedUrl) {
    var pane = map.createPane("basemap");
    pane.style.zIndex = 200;
    pane.style.pointerEvents = "none";
    var renderer = L.canvas({ pane: "basemap", padding: 0.5 });
    var current = null;
    var currentLevel = -1; // 0: the 1:110m outlines are drawn, 1: the 1:50m ones
    var detailAsked = false;

    function show(url, level) {
      return download(url).then(function (world) {
        if (level < currentLevel) {
          return; // the detailed outlines arrived first: keep them
        }
        if (!world.mercuryContinuous) {
          continuousWorld(world); // once per file: several maps may share the download
          world.mercuryContinuous = true;
        }
        var layer = L.geoJSON(world, {
          pane: "basemap",
          renderer: renderer,
          interactive: false,
          style: function () { return LAND; },
        });
        if (current) {
          map.removeLayer(current);
        }
        current = layer.addTo(map);
        currentLevel = level;
      });
    }

    function maybeDetail() {
      if (!detailAsked && detailedUrl && map.getZoom() >= DETAIL_ZOOM) {
        detailAsked = true;
        show(detailedUrl, 1).catch(function () { detailAsked = false; });
      }
    }

    map.getContainer().style.background = OCEAN;
    map.attributionControl.addAttribution("Natural Earth");
    if (coarseUrl) {
      show(coarseUrl, 0).then(maybeDetail).catch(function () {});
    }
    map.on("zoomend", maybeDetail);
  }

  /* A Leaflet map in the element, with the online tiles if configured, else the offline world. */
  function createMap(element, options) {
    element.hidden = false;
    var map = L.map(element, Object.assign({ minZoom: 1, maxZoom: 18, worldCopyJump: true, zoomControl: false }, options || {}));
    // Leaflet's own button names are English: the page gives them in its language.
    L.control.zoom({
      zoomInTitle: element.dataset.zoomIn || "Zoom in",
      zoomOutTitle: element.dataset.zoomOut || "Zoom out"
    }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var tileUrl = element.dataset.tileUrl;
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: element.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
    } else {
      addWorld(map, element.dataset.worldUrl, element.dataset.worldDetailUrl);
    }
    return map;
  }

  function facilityMarker(latlng, status, options) {
    return L.circleMarker(latlng, Object.assign({
      radius: 7,
      color: "#ffffff",
      weight: 1.5,
      fillColor: statusColour(status || "unknown"),
      fillOpacity: 0.95,
      className: "facility-marker facility-marker-" + (status || "unknown"),
    }, options || {}));
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) {
      node.textContent = text;
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function labelled(label, value) {
    var line = element("p");
    line.appendChild(element("span", label + ": ", "map-popup-label"));
    line.appendChild(document.createTextNode(value));
    return line;
  }

  /* The popup of a facility, from the properties of the GeoJSON API; built from text nodes. */
  function facilityPopup(properties, labels) {
    var box = element("div", null, "map-popup");
    box.appendChild(element("p", properties.name, "map-popup-title"));
    if (properties.operator) {
      box.appendChild(labelled(labels.operator, properties.operator));
    }
    var place = [properties.city, properties.country_name].filter(Boolean).join(", ");
    if (place) {
      box.appendChild(element("p", place));
    }
    var statusName = (labels.statuses || {})[properties.status] || properties.status;
    box.appendChild(labelled(labels.status, statusName));
    var wastes = properties.accepted_waste_labels || [];
    if (wastes.length) {
      box.appendChild(labelled(labels.accepted_wastes, wastes.join("; ")));
    }
    var link = element("a", labels.open, "map-popup-link");
    link.href = properties.url;
    var last = element("p");
    last.appendChild(link);
    box.appendChild(last);
    return box;
  }

  function labelsFrom(id) {
    var script = document.getElementById(id || "map-labels");
    return script ? JSON.parse(script.textContent) : { statuses: {} };
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, name) { return values[name]; });
  }

  /* The map page: every facility matching the filters, clustered, fitted to the markers. */
  function initFacilityMap(mapElement) {
    var labels = labelsFrom("map-labels");
    var status = document.getElementById(mapElement.dataset.statusId || "map-status");
    var say = function (text) { if (status) { status.textContent = text; } };
    var map = createMap(mapElement);
    map.setView([15, 10], 2);
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
    map.addLayer(cluster);
    say(labels.loading);
    download(mapElement.dataset.geojsonUrl).then(function (collection) {
      var markers = [];
      (collection.features || []).forEach(function (feature) {
        var geometry = feature.geometry;
        if (!geometry || geometry.type !== "Point" || geometry.coordinates[1] === null) {
          return;
        }
        var properties = feature.properties || {};
        var latlng = L.latLng(geometry.coordinates[1], geometry.coordinates[0]);
        var marker = facilityMarker(latlng, properties.status);
        marker.bindPopup(function () { return facilityPopup(properties, labels); });
        marker.bindTooltip(properties.name);
        markers.push(marker);
      });
      cluster.addLayers(markers);
      mapElement.dataset.markers = String(markers.length);
      if (markers.length) {
        map.fitBounds(cluster.getBounds(), { padding: [30, 30], maxZoom: 7 });
        say(format(labels.shown, { count: markers.length }));
      } else {
        say(labels.none);
      }
    }).catch(function () {
      say(labels.failed);
    });
  }

  /* A detail page's map: one circle marker, the country around it. */
  function initSmallMap(mapElement) {
    var lat = parseFloat(mapElement.dataset.lat);
    var lon = parseFloat(mapElement.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) {
      return;
    }
    var map = createMap(mapElement, { scrollWheelZoom: false });
    map.setView([lat, lon], parseInt(mapElement.dataset.zoom || "5", 10));
    var marker = mapElement.dataset.status
      ? facilityMarker([lat, lon], mapElement.dataset.status, { radius: 8 })
      : facilityMarker([lat, lon], "unknown", { radius: 8, fillColor: "#1b2631" });
    if (mapElement.dataset.label) {
      marker.bindTooltip(mapElement.dataset.label);
    }
    marker.addTo(map);
  }

  function start() {
    document.querySelectorAll("[data-facility-map]").forEach(function (node) {
      if (!node.dataset.started) {
        node.dataset.started = "1";
        initFacilityMap(node);
      }
    });
    document.querySelectorAll("[data-small-map]").forEach(function (node) {
      if (!node.dataset.started) {
        node.dataset.started = "1";
        initSmallMap(node);
      }
    });
  }

  window.MercuryMap = {
    statusColour: statusColour,
    createMap: createMap,
    facilityMarker: facilityMarker,
    labels: labelsFrom,
    format: format,
    element: element,
  };

  if (typeof L === "undefined") {
    return; // Leaflet failed to load: the pages still work as server-rendered lists
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
