/* National Action Plan budgets compared ([data-nap-chart]): a stacked 100% bar chart of each
   budget's shares by theme, one bar per country (and first, per currency, the plan shown beside
   them), drawn with Chart.js from the JSON #nap-budget-chart. The table after the chart gives the
   same numbers and is its text alternative.

   Chart.js is loaded by this script (the data-chartjs-url of its tag), so that the page stays
   light where the chart is not drawn. */
(function () {
  "use strict";

  var script = document.currentScript;
  // One colour per theme, in the order of nap/data/budget_themes.json; told apart in grey too.
  var COLOURS = ["#005a9c", "#b34700", "#1e6b34", "#a0407f", "#c78a00", "#4b8bbe", "#6b4100", "#5f6b77"];
  var language = document.documentElement.lang || "en";
  var rtl = document.documentElement.dir === "rtl";

  function loadChartJs() {
    return new Promise(function (resolve, reject) {
      if (window.Chart) { resolve(); return; }
      var tag = document.createElement("script");
      tag.src = script.dataset.chartjsUrl;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  function draw(box, data) {
    var numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    box.hidden = false;
    box.style.blockSize = Math.max(16, data.bars.length * 2.1 + 6) + "rem";
    var canvas = box.querySelector("canvas");
    var datasets = data.themes.map(function (theme, index) {
      return {
        label: theme,
        data: data.bars.map(function (bar) { return bar.shares[index]; }),
        backgroundColor: COLOURS[index % COLOURS.length],
        borderColor: "#ffffff",
        borderWidth: 1
      };
    });
    return new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.bars.map(function (bar) { return bar.label; }), datasets: datasets },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        locale: language,
        scales: {
          x: {
            stacked: true, min: 0, max: 100, reverse: rtl,
            title: { display: true, text: data.axis },
            ticks: { callback: function (value) { return numbers.format(value) + " %"; } }
          },
          y: {
            stacked: true, position: rtl ? "right" : "left",
            ticks: {
              font: function (context) {
                return { weight: context.index < data.plan_bars ? "bold" : "normal" };
              }
            }
          }
        },
        plugins: {
          legend: { position: "top", rtl: rtl, labels: { boxWidth: 14 } },
          tooltip: {
            rtl: rtl,
            callbacks: {
              label: function (item) { return item.dataset.label + ": " + numbers.format(item.raw) + " %"; }
            }
          }
        }
      }
    });
  }

  function start() {
    var box = document.querySelector("[data-nap-chart]");
    var node = document.getElementById("nap-budget-chart");
    if (!box || !node) { return; }
    var data = JSON.parse(node.textContent);
    if (!data.bars.length) { return; }
    loadChartJs().then(function () { draw(box, data); }, function () { box.hidden = true; });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
