/* Live relevance of a web form's questions (templates/forms/webform/). The form element's
   data-relevance-url answers a POST of the form's fields with {"hidden": [paths]}, computed by
   the same evaluator that checks the form on the server (forms.webform.validation.hidden_paths);
   the questions, groups and repeat instances it names are hidden, the others shown. Without
   JavaScript, or when the request fails, every question stays visible and the server skips those
   that are not relevant when the form is sent. */
(function () {
  "use strict";
  var DELAY = 250;

  function start(form) {
    var url = form.dataset.relevanceUrl;
    if (!url || form.dataset.relevanceStarted) {
      return;
    }
    form.dataset.relevanceStarted = "1";
    var timer = null;
    var asked = 0;

    function apply(hidden) {
      var paths = new Set(hidden);
      form.querySelectorAll("[data-path]").forEach(function (element) {
        if (element.closest("template")) {
          return;
        }
        element.hidden = paths.has(element.dataset.path);
      });
    }

    function refresh() {
      var number = ++asked;
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
        credentials: "same-origin",
      }).then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      }).then(function (answer) {
        if (number === asked && Array.isArray(answer.hidden)) {
          apply(answer.hidden);
        }
      }).catch(function () {
        apply([]); // show everything: the server decides when the form is sent
      });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY);
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("webform:changed", later); // a repeat instance added or removed
    refresh();
  }

  function startAll() {
    document.querySelectorAll("form[data-relevance-url]").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
