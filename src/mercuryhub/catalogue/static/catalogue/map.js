/* MercuryHub maps: the offline world basemap, facility markers coloured by status, the facility
   map page ([data-facility-map]), the small maps of detail pages ([data-small-map]) and the maps
   of facilities found near a place for several wastes ([data-grouped-map]).

   Needs Leaflet, and Leaflet.markercluster for the facility map. Nothing is loaded from the
   internet: the country outlines come from the site's basemap (core/basemap_views.py, from the
   vendored Natural Earth files); a tile layer is added only when the site is configured with
   one (data-tile-url). Circle markers are used
   instead of Leaflet's image markers, whose URLs break with hashed static file names. */
(function () {
  "use strict";
  if (window.MercuryMap) {
    return; // loaded twice (a page and a partial both asked for it)
  }

  var OCEAN = "#c9dde9";
  var LAND = { color: "#aab4be", weight: 0.6, fillColor: "#eef0f2", fillOpacity: 1 };
  var DETAIL_ZOOM = 5; // from this zoom on, cells of the 1:50m outlines replace the 1:110m world
  var CELL = 10; // degrees on a side of a cell of the detailed outlines (lib/world.py)
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

  /* A ring as the basemap sends it ([x0, y0, dx1, dy1, ...] in 1/scale of a degree, longitudes
     already continuous across 180 and -180): Leaflet's [lat, lon] points, moved by shift. */
  function decodeRing(encoded, scale, shift) {
    var points = [];
    var x = 0;
    var y = 0;
    for (var i = 0; i + 1 < encoded.length; i += 2) {
      x += encoded[i];
      y += encoded[i + 1];
      points.push([y / scale, x / scale + shift]);
    }
    return points;
  }

  /* Land filled, with its outlines; where the basemap sends the borders apart ("lines", a cell
     cut out of the world), the land is filled without outline and the borders drawn over it,
     so that the cuts between cells do not show. */
  function outlines(data, shift, renderer) {
    var common = { pane: "basemap", renderer: renderer, interactive: false };
    var group = L.layerGroup();
    (data.polygons || []).forEach(function (polygon) {
      var rings = polygon.map(function (ring) { return decodeRing(ring, data.scale, shift); });
      group.addLayer(L.polygon(rings, Object.assign({}, LAND, common, { stroke: !data.lines })));
    });
    (data.lines || []).forEach(function (line) {
      group.addLayer(L.polyline(decodeRing(line, data.scale, shift),
        Object.assign({ color: LAND.color, weight: LAND.weight }, common)));
    });
    return group;
  }

  /* Country outlines under everything else, in their own pane, drawn on a canvas: the whole
     world's 1:110m outlines when zoomed out, the 1:50m cells in view when zoomed in. A map that
     opens zoomed in (a detail page's small map) downloads only the few cells it shows. */
  function addWorld(map, worldUrl, cellUrl) {
    var pane = map.createPane("basemap");
    pane.style.zIndex = 200;
    pane.style.pointerEvents = "none";
    var renderer = L.canvas({ pane: "basemap", padding: 0.5 });
    var world = null;
    var worldAsked = false;
    var detail = L.layerGroup();
    var cells = {};

    function detailed() {
      return Boolean(cellUrl) && map.getZoom() >= DETAIL_ZOOM;
    }

    function showCells() {
      var bounds = map.getBounds();
      var south = Math.max(-90, Math.floor(bounds.getSouth() / CELL) * CELL);
      var north = Math.min(90, bounds.getNorth());
      var west = Math.floor(bounds.getWest() / CELL) * CELL;
      for (var lat = south; lat < north; lat += CELL) {
        for (var lon = west; lon < bounds.getEast(); lon += CELL) {
          var key = lon + "," + lat;
          if (!cells[key]) {
            var wrapped = ((lon + 180) % 360 + 360) % 360 - 180;
            cells[key] = download(cellUrl + "?west=" + wrapped + "&south=" + lat)
              .then(function (shift, data) { detail.addLayer(outlines(data, shift, renderer)); }
                .bind(null, lon - wrapped))
              .catch(function (key) { delete cells[key]; }.bind(null, key));
          }
        }
      }
    }

    function update() {
      if (detailed()) {
        if (world) {
          map.removeLayer(world);
        }
        detail.addTo(map);
        showCells();
        return;
      }
      map.removeLayer(detail);
      if (world) {
        world.addTo(map);
      } else if (worldUrl && !worldAsked) {
        worldAsked = true;
        download(worldUrl).then(function (data) {
          world = outlines(data, 0, renderer);
          if (!detailed()) {
            world.addTo(map);
          }
        }).catch(function () { worldAsked = false; });
      }
    }

    map.getContainer().style.background = OCEAN;
    map.attributionControl.addAttribution("Natural Earth");
    map.whenReady(update);
    map.on("moveend", update);
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

  /* The data a page gives its script in a <script type="application/json" id="…">, or null. */
  function dataFrom(id) {
    var script = document.getElementById(id);
    return script ? JSON.parse(script.textContent) : null;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, name) { return values[name]; });
  }

  /* Open the map on the points ([lat, lon]): around them, on the one, or on the world. */
  function fitPoints(map, points) {
    if (points.length > 1) {
      map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 8 });
    } else if (points.length === 1) {
      map.setView(points[0], 5);
    } else {
      map.setView([15, 10], 2);
    }
  }

  /* The starting point of a search for facilities near a place. */
  function originMarker(latlng, label) {
    return L.circleMarker(latlng, {
      radius: 9,
      color: "#1b2631",
      weight: 3,
      fillColor: "#f5b700",
      fillOpacity: 1,
      className: "finder-origin",
    }).bindTooltip(label);
  }

  /* The popup of a facility found near a place (catalogue Found.map_point): its name linking its
     page, what it was found for (if given), its distance, and whether it lies in another
     country. */
  function distancePopup(facility, labels, foundFor) {
    var box = element("div", null, "map-popup");
    var link = element("a", facility.name, "map-popup-title");
    link.href = facility.url;
    box.appendChild(link);
    if (foundFor) {
      box.appendChild(element("p", foundFor));
    }
    box.appendChild(element("p", format(labels.distance, { km: facility.distance_km })));
    if (facility.transboundary) {
      box.appendChild(element("p", labels.transboundary, "map-popup-notice"));
    }
    return box;
  }

  /* Text as Leaflet's layers control wants it: HTML, so escaped. */
  function escaped(text) {
    var node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  /* Facilities found near a place for several things at once (an inventory's wastes): the
     starting point and a layer of facilities per group, each switched on and off in the layers
     control, opened on the starting point and the nearest facility of each group. The data, in
     the JSON script named by data-map-data: {origin: {lat, lon} or null, groups: [{code, label,
     facilities: [map points, nearest first]}]}; the words in the one named by data-labels-id. */
  function initGroupedMap(mapElement) {
    var data = labelsFrom(mapElement.dataset.mapData);
    var labels = labelsFrom(mapElement.dataset.labelsId);
    var map = createMap(mapElement);
    var points = data.origin ? [[data.origin.lat, data.origin.lon]] : [];
    var overlays = [];
    (data.groups || []).forEach(function (group) {
      var located = group.facilities.filter(function (f) { return f.lat !== null && f.lon !== null; });
      if (!located.length) {
        return;
      }
      points.push([located[0].lat, located[0].lon]); // the nearest of the group
      var markers = located.map(function (facility) {
        var marker = facilityMarker([facility.lat, facility.lon], facility.status, {
          className: "facility-marker facility-marker-" + facility.status + " grouped-marker-" + group.code,
        });
        marker.bindTooltip(facility.name);
        marker.bindPopup(function () { return distancePopup(facility, labels, group.label); });
        return marker;
      });
      overlays.push({ label: group.label + " (" + markers.length + ")", layer: L.layerGroup(markers) });
    });
    fitPoints(map, points);
    var phone = window.matchMedia("(max-width: 39.99rem)").matches;
    var control = L.control.layers(null, null, { collapsed: phone }).addTo(map);
    // Leaflet names the button that opens the list in English: the page gives its own name.
    var toggle = control.getContainer().querySelector(".leaflet-control-layers-toggle");
    if (toggle && labels.layers) {
      toggle.title = labels.layers;
      toggle.setAttribute("aria-label", labels.layers);
    }
    var drawn = 0;
    overlays.forEach(function (overlay) {
      overlay.layer.addTo(map);
      control.addOverlay(overlay.layer, escaped(overlay.label));
      drawn += overlay.layer.getLayers().length;
    });
    if (data.origin) {
      originMarker([data.origin.lat, data.origin.lon], labels.origin).addTo(map); // on top
    }
    mapElement.dataset.markers = String(drawn);
  }

  /* A count of places, drawn as Leaflet.markercluster draws its clusters. */
  function countIcon(count) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<div><span>" + count + "</span></div>",
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40),
    });
  }

  /* A count of places in a cell of the map; a click zooms in on it. Cells are what the server
     sends when more places are in view than a browser should draw one by one. */
  function countMarker(latlng, count, map) {
    var marker = L.marker(latlng, { icon: countIcon(count), keyboard: false, count: count });
    marker.on("click", function () {
      map.setView(latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()));
    });
    return marker;
  }

  /* The layer of a map's cells: cells whose counts would overlap on the screen are drawn as
     one, their sum; a click on it zooms in to where they part. */
  function cellLayer() {
    return L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      iconCreateFunction: function (group) {
        return countIcon(group.getAllChildMarkers().reduce(function (sum, marker) {
          return sum + marker.options.count;
        }, 0));
      },
    });
  }

  /* The bounds and zoom of the map's view, a quarter wider on each side, as the JSON views of
     the maps take them (lib/maps.py). */
  function viewArea(map) {
    var bounds = map.getBounds().pad(0.25);
    var box = [
      Math.max(bounds.getSouth(), -90),
      Math.max(bounds.getWest(), -540),
      Math.min(bounds.getNorth(), 90),
      Math.min(bounds.getEast(), 540),
    ];
    return "bbox=" + box.map(function (value) { return value.toFixed(4); }).join(",") + "&zoom=" + map.getZoom();
  }

  /* A function that asks ``url`` for the data of an area of the map (viewArea's parameters, or
     none for the first view); its promise gives null when a later call was made meanwhile, so
     that a map moved twice draws only the last answer. */
  function viewLoader(url) {
    var latest = 0;
    return function (area) {
      var mine = ++latest;
      var asked = area ? url + (url.indexOf("?") < 0 ? "?" : "&") + area : url;
      return fetch(asked, { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(asked + ": HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) { return mine === latest ? data : null; });
    };
  }

  /* The map page: the facilities matching the filters, clustered, fitted to the markers. When more
     are in view than the server sends one by one, it sends them counted in cells, and the map asks
     again for the area in view as it moves and zooms, down to each facility. */
  function initFacilityMap(mapElement) {
    var labels = labelsFrom("map-labels");
    var status = document.getElementById(mapElement.dataset.statusId || "map-status");
    var say = function (text) { if (status) { status.textContent = text; } };
    var map = createMap(mapElement);
    map.setView([15, 10], 2);
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
    var cells = cellLayer();
    map.addLayer(cluster);
    map.addLayer(cells);
    var counted = false; // too many facilities for the map: it asks for the area in view
    var load = viewLoader(mapElement.dataset.pointsUrl);
    var waiting = null;

    /* Draws what the server sent; returns the markers placed (facilities, or cells). */
    function draw(data) {
      var markers = [];
      (data.features || []).forEach(function (feature) {
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
      var total = markers.length;
      var cellMarkers = (data.cells || []).map(function (cell) {
        total += cell[2];
        return countMarker(L.latLng(cell[0], cell[1]), cell[2], map);
      });
      cluster.clearLayers();
      cells.clearLayers();
      cluster.addLayers(markers);
      cells.addLayers(cellMarkers);
      mapElement.dataset.markers = String(total);
      mapElement.dataset.cells = String(cellMarkers.length);
      say(total ? format(labels.shown, { count: total }) : labels.none);
      return markers.length ? markers : cellMarkers;
    }

    map.on("moveend", function () {
      if (!counted) { return; }
      mapElement.dataset.ready = "";
      clearTimeout(waiting);
      waiting = setTimeout(function () {
        load(viewArea(map)).then(function (data) {
          if (data) { draw(data); mapElement.dataset.ready = "1"; }
        }).catch(function () { say(labels.failed); });
      }, 200);
    });

    say(labels.loading);
    load("").then(function (data) {
      counted = Boolean(data.cells);
      var placed = draw(data);
      if (placed.length) {
        map.fitBounds(L.featureGroup(placed).getBounds(), { padding: [30, 30], maxZoom: 7 });
      }
      if (!counted) { mapElement.dataset.ready = "1"; }
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
    document.querySelectorAll("[data-grouped-map]").forEach(function (node) {
      if (!node.dataset.started) {
        node.dataset.started = "1";
        initGroupedMap(node);
      }
    });
  }

  window.MercuryMap = {
    statusColour: statusColour,
    createMap: createMap,
    facilityMarker: facilityMarker,
    fitPoints: fitPoints,
    countMarker: countMarker,
    cellLayer: cellLayer,
    viewArea: viewArea,
    viewLoader: viewLoader,
    originMarker: originMarker,
    distancePopup: distancePopup,
    labels: labelsFrom,
    data: dataFrom,
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
