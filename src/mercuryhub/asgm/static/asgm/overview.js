/* The ASGM national overview: the map of the sites ([data-asgm-map]: clustered circle markers,
   coloured by worst practice, sized by mercury use, a layer per worst practice toggled by the
   checkboxes [data-layer]; when a country has more sites than the server sends one by one, it
   sends them counted in cells of the map, and the map asks again for the area in view as it
   moves and zooms, down to each site) and a chart drawn from each table [data-chart] (the table stays: it is
   the chart's text alternative).

   Needs Leaflet, Leaflet.markercluster and catalogue/map.js (window.MercuryMap) for the map.
   Chart.js is loaded only when a chart table comes near the screen, so that the page's first
   load stays light; its address is the data-chartjs-url of this script's tag. */
(function () {
  "use strict";

  var script = document.currentScript;
  var COLOURS = {
    "whole-ore-amalgamation": "#b34700",
    "open-burning": "#c78a00",
    "residential-burning": "#a0407f",
    "cyanide-on-mercury-tailings": "#005a9c",
    none: "#5f6b77"
  };
  var language = document.documentElement.lang || "en";
  var rtl = document.documentElement.dir === "rtl";
  var numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });

  function labels() {
    var node = document.getElementById("asgm-map-labels");
    return node ? JSON.parse(node.textContent) : {};
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, name) { return values[name]; });
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  // Map ---------------------------------------------------------------------------------------

  /* A site as the JSON sends it: [id, lat, lon, exact, worst codes, practice, mercury, method, name]. */
  function popup(site, words, siteUrl) {
    var box = element("div", null, "map-popup");
    box.setAttribute("dir", rtl ? "rtl" : "ltr");
    box.appendChild(element("p", site[8], "map-popup-title"));
    var practice = element("p");
    practice.appendChild(element("span", words.practice + ": ", "map-popup-label"));
    practice.appendChild(document.createTextNode(words.practices[site[5]] || site[5]));
    box.appendChild(practice);
    var mercury = element("p");
    mercury.appendChild(element("span", words.mercury + ": ", "map-popup-label"));
    var amount = site[6] === null ? words.methods.unknown
      : format(words.kg_per_year, { value: numbers.format(site[6]) }) + " (" + words.methods[site[7]] + ")";
    mercury.appendChild(document.createTextNode(amount));
    box.appendChild(mercury);
    if (site[4].length) {
      var list = element("ul", null, "map-popup-worst");
      site[4].forEach(function (code) { list.appendChild(element("li", words.worst[code] || code)); });
      box.appendChild(list);
    } else {
      box.appendChild(element("p", words.none));
    }
    if (!site[3]) {
      box.appendChild(element("p", words.rounded, "small"));
    }
    var link = element("a", words.open, "map-popup-link");
    link.href = siteUrl.replace(/0\/$/, site[0] + "/");
    var last = element("p");
    last.appendChild(link);
    box.appendChild(last);
    return box;
  }

  function radius(mercury, largest) {
    if (mercury === null || !largest) { return 5; }
    return 5 + 13 * Math.sqrt(Math.max(mercury, 0) / largest);
  }

  /* A cell of sites as the JSON sends it when there are too many to send one by one:
     [lat, lon, sites, [[worst bit mask (in the order of the layers), sites], ...]]. */
  var CODES = ["whole-ore-amalgamation", "open-burning", "residential-burning", "cyanide-on-mercury-tailings"];

  function cellCount(cell, chosen) {
    return cell[3].reduce(function (sum, group) {
      var mask = group[0];
      var shown = mask ? CODES.some(function (code, bit) { return (mask & (1 << bit)) && chosen[code]; })
        : chosen.none;
      return sum + (shown ? group[1] : 0);
    }, 0);
  }

  function initMap(mapElement) {
    var words = labels();
    var status = document.getElementById("asgm-map-status");
    var say = function (text) { if (status) { status.textContent = text; } };
    var map = window.MercuryMap.createMap(mapElement);
    map.setView([0, 20], 3);
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    var cellLayer = window.MercuryMap.cellLayer();
    map.addLayer(cluster);
    map.addLayer(cellLayer);
    var markers = [];
    var cells = [];
    var counted = false; // too many sites for the map: it asks for the area in view as it moves
    var toggles = Array.prototype.slice.call(document.querySelectorAll("[data-layer]"));

    function chosenLayers() {
      var chosen = {};
      toggles.forEach(function (box) { chosen[box.value] = box.checked; });
      return chosen;
    }

    function shown(chosen) {
      return markers.filter(function (marker) {
        var codes = marker.options.worst.length ? marker.options.worst : ["none"];
        return codes.some(function (code) { return chosen[code]; });
      });
    }

    function update() {
      var chosen = chosenLayers();
      var visible = shown(chosen);
      var total = visible.length;
      cluster.clearLayers();
      cluster.addLayers(visible);
      cellLayer.clearLayers();
      cells.forEach(function (cell) {
        var count = cellCount(cell, chosen);
        if (count) { cellLayer.addLayer(window.MercuryMap.countMarker(L.latLng(cell[0], cell[1]), count, map)); }
        total += count;
      });
      mapElement.dataset.markers = String(total);
      say(total ? format(words.shown, { count: numbers.format(total) }) : words.nothing);
    }

    function draw(data) {
      var sites = data.sites || [];
      var largest = sites.reduce(function (most, site) { return Math.max(most, site[6] || 0); }, 0);
      cells = data.cells || [];
      markers = sites.map(function (site) {
        var first = site[4].length ? site[4][0] : "none";
        var marker = L.circleMarker([site[1], site[2]], {
          radius: radius(site[6], largest),
          color: "#ffffff",
          weight: 1.5,
          fillColor: COLOURS[first] || COLOURS.none,
          fillOpacity: site[6] === null ? 0.55 : 0.9,
          className: "asgm-marker asgm-marker-" + first,
          worst: site[4]
        });
        marker.bindTooltip(site[8]);
        marker.bindPopup(function () { return popup(site, words, mapElement.dataset.siteUrl); });
        return marker;
      });
      update();
    }

    var load = window.MercuryMap.viewLoader(mapElement.dataset.pointsUrl);
    var waiting = null;
    map.on("moveend", function () {
      if (!counted) { return; }
      clearTimeout(waiting);
      waiting = setTimeout(function () {
        mapElement.dataset.ready = "";
        load(window.MercuryMap.viewArea(map)).then(function (data) {
          if (data) { draw(data); mapElement.dataset.ready = "1"; }
        }).catch(function () { say(words.failed); });
      }, 200);
    });

    toggles.forEach(function (box) { box.addEventListener("change", update); });
    say(words.loading);
    load("").then(function (data) {
      counted = Boolean(data.cells);
      draw(data);
      var placed = markers.length ? markers : cells.map(function (cell) { return L.marker([cell[0], cell[1]]); });
      if (placed.length) {
        map.fitBounds(L.featureGroup(placed).getBounds(), { padding: [30, 30], maxZoom: 9 });
      }
      if (!counted) { mapElement.dataset.ready = "1"; }
    }).catch(function () { say(words.failed); });
  }

  // Charts ------------------------------------------------------------------------------------

  function number(text) {
    var value = parseFloat(text);
    return isNaN(value) ? 0 : value;
  }

  function drawChart(table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var names = rows.map(function (row) { return row.cells[0].textContent.trim(); });
    var datasets;
    var axis = table.dataset.sitesLabel;
    if (table.dataset.chart === "range") {
      axis = table.dataset.rangeAxis;
      var cells = rows.map(function (row) { return row.querySelector("[data-typical]"); });
      datasets = [
        {
          label: table.dataset.rangeLabel,
          data: cells.map(function (cell) { return [number(cell.dataset.low), number(cell.dataset.high)]; }),
          backgroundColor: "rgba(11, 93, 122, 0.25)",
          borderColor: "rgba(11, 93, 122, 0.6)",
          borderWidth: 1,
          grouped: false,
          order: 2
        },
        {
          label: table.dataset.typicalLabel,
          data: cells.map(function (cell) { return number(cell.dataset.typical); }),
          backgroundColor: "#0b5d7a",
          barPercentage: 0.45,
          grouped: false,
          order: 1
        }
      ];
    } else {
      datasets = [{
        label: table.dataset.sitesLabel,
        data: rows.map(function (row) { return number(row.querySelector("[data-sites]").dataset.sites); }),
        backgroundColor: "#0b5d7a"
      }];
    }
    var canvas = document.createElement("canvas");
    canvas.setAttribute("aria-hidden", "true"); // the table below gives the same figures
    var box = document.createElement("div");
    box.className = "asgm-chart";
    box.style.height = Math.max(140, names.length * 34 + 60) + "px";
    box.appendChild(canvas);
    var wrap = table.closest(".table-wrap") || table;
    wrap.parentNode.insertBefore(box, wrap);
    table.dataset.drawn = "1";
    return new window.Chart(canvas, {
      type: "bar",
      data: { labels: names, datasets: datasets },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        locale: language,
        scales: {
          x: { beginAtZero: true, reverse: rtl, title: { display: true, text: axis } },
          y: { position: rtl ? "right" : "left" }
        },
        plugins: { legend: { display: datasets.length > 1, rtl: rtl } }
      }
    });
  }

  var chartLibrary = null;

  function withChartJs() {
    if (!chartLibrary) {
      chartLibrary = new Promise(function (resolve, reject) {
        if (window.Chart) { resolve(); return; }
        var tag = document.createElement("script");
        tag.src = script.dataset.chartjsUrl;
        tag.onload = function () { resolve(); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return chartLibrary;
  }

  function initCharts() {
    var tables = Array.prototype.slice.call(document.querySelectorAll("table[data-chart]"))
      .filter(function (table) { return table.tBodies[0] && table.tBodies[0].rows.length; });
    function draw(table) {
      withChartJs().then(function () {
        if (!table.dataset.drawn) { drawChart(table); }
      }).catch(function () {});
    }
    if (!("IntersectionObserver" in window)) {
      tables.forEach(draw);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    }, { rootMargin: "300px 0px" });
    tables.forEach(function (table) { observer.observe(table); });
  }

  function start() {
    var mapElement = document.querySelector("[data-asgm-map]");
    if (mapElement && window.L && window.MercuryMap && L.markerClusterGroup) {
      initMap(mapElement);
    }
    initCharts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
