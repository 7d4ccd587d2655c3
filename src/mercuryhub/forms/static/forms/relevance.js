/* Live relevance of a web form's questions (templates/forms/webform/). The form element's
   data-relevance-url answers a POST of the form's fields with {"hidden": [paths], "choices":
   {path: [names]}}, computed by the same evaluator that checks the form on the server
   (forms.webform.validation.live_state): the questions, groups and repeat instances it names are
   hidden, the others shown; a question with a choice_filter offers only the choices listed (the
   countries of the region answered). Without JavaScript, or when the request fails, every
   question and choice stays visible and the server checks the answers when the form is sent. */
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

    function apply(hidden, choices) {
      var paths = new Set(hidden);
      choices = choices || {};
      form.querySelectorAll("[data-path]").forEach(function (element) {
        if (element.closest("template")) {
          return;
        }
        element.hidden = paths.has(element.dataset.path);
        offer(element, choices[element.dataset.path]);
      });
    }

    // Only the choices offered stay visible and can be chosen; a choice no longer offered is
    // unselected. Without a list (no filter, or no answer from the server) every choice is back.
    function offer(question, offered) {
      var allowed = offered ? new Set(offered) : null;
      question.querySelectorAll(":scope option, :scope .choice > input").forEach(function (input) {
        if (!input.value || (!allowed && !input.hasAttribute("data-filtered"))) {
          return;
        }
        if (input.closest("[data-path]") !== question) {
          return; // a question of a group inside this one
        }
        var keep = !allowed || allowed.has(input.value);
        var shown = input.tagName === "OPTION" ? input : input.closest(".choice");
        shown.hidden = !keep;
        input.disabled = !keep;
        input.toggleAttribute("data-filtered", !keep);
        if (!keep && (input.selected || input.checked)) {
          input.selected = false;
          input.checked = false;
        }
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
          apply(answer.hidden, answer.choices);
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
