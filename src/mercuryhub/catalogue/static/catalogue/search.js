/* The catalogue search page, once JavaScript runs:
   - a filter changes the results in place, a moment after the last change (so arrow keys that
     move through radio buttons or a list never leave the page), keeps the address in step, puts
     the focus back where it was and has the result count read out (#result-count is a live region);
   - a removable chip removes its filter the same way;
   - on a phone the filter panel opens from the "Filters (n)" button as a dialog over the results;
   - the filter counts of a large result set arrive after the page;
   - "Nearest to me" sorts by distance from the browser's position.
   Without JavaScript the form, the chips and the "Filters" link work as plain links and forms. */
(function () {
  "use strict";
  var DELAY_MS = 350;

  function start() {
    var form = document.querySelector("[data-search-form]");
    if (!form || !window.fetch || !window.DOMParser || !window.history.pushState) {
      return;
    }
    var count = document.getElementById("result-count");
    var panel = form.querySelector("[data-filters-panel]");
    var toggle = filtersButton(form.querySelector("[data-filters-toggle]"));
    var phone = window.matchMedia("(max-width: 55.99rem)");
    var sheet = filterSheet(form, panel, toggle, phone);
    var timer = null;
    var controller = null;

    function address() {
      var params = new URLSearchParams();
      var seen = {};
      new FormData(form).forEach(function (value, name) {
        var key = name + "=" + value;
        var usual = name === "sort" && value === "relevance";
        if (value !== "" && !usual && !seen[key]) {
          seen[key] = true;
          params.append(name, value);
        }
      });
      var query = params.toString();
      return form.action.split("?")[0] + (query ? "?" + query : "");
    }

    function update(url, options) {
      options = options || {};
      window.clearTimeout(timer);
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var focused = options.focus || focusedId();
      var results = document.getElementById("search-results");
      results.setAttribute("aria-busy", "true"); // replaced, with the attribute, once answered
      fetch(url, { signal: controller.signal, headers: { Accept: "text/html" }, credentials: "same-origin" })
        .then(function (response) {
          return response.text().then(function (text) {
            return { ok: response.ok, text: text };
          });
        })
        .then(function (answer) {
          var fresh = new DOMParser().parseFromString(answer.text, "text/html");
          if (!answer.ok || !fresh.getElementById("catalogue-filters")) {
            window.location.assign(url); // an error page: show it as a page
            return;
          }
          form.querySelectorAll("[data-search-swap]").forEach(function (region) {
            var replacement = fresh.getElementById(region.id);
            if (replacement) {
              region.replaceWith(document.adoptNode(replacement));
            }
          });
          var freshToggle = fresh.querySelector("[data-filters-toggle]");
          if (freshToggle && toggle) {
            toggle.innerHTML = freshToggle.innerHTML;
          }
          document.title = fresh.title;
          announce(fresh.getElementById("result-count"));
          restoreFocus(focused);
          if (options.history !== false) {
            window.history.pushState({ search: true }, "", url);
          }
          loadFilterCounts(form);
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            window.location.assign(url);
          }
        });
    }

    function announce(freshCount) {
      if (!freshCount) {
        return;
      }
      // New nodes, even with the same words, so that the count is read out after every change.
      count.innerHTML = freshCount.innerHTML;
    }

    function focusedId() {
      var active = document.activeElement;
      if (!active || active === document.body) {
        return null;
      }
      if (active.matches("[data-filter-chip]")) {
        var chips = Array.prototype.slice.call(form.querySelectorAll("[data-filter-chip]"));
        return { chip: chips.indexOf(active) };
      }
      return active.id ? { id: active.id } : null;
    }

    function restoreFocus(focused) {
      if (!focused) {
        return;
      }
      var target = null;
      if (focused.id) {
        target = document.getElementById(focused.id);
      } else if (focused.chip !== undefined) {
        var chips = form.querySelectorAll("[data-filter-chip]");
        target = chips[Math.min(focused.chip, chips.length - 1)] || (phone.matches ? toggle : panel);
      }
      if (target && document.activeElement !== target) {
        target.focus({ preventScroll: focused.chip === undefined });
      }
    }

    form.addEventListener("change", function (event) {
      if (event.target.name === "q") {
        return; // words are searched for on Enter or with the button
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        update(address());
      }, DELAY_MS);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update(address());
      if (event.submitter && event.submitter.matches("[data-filters-apply]")) {
        sheet.close();
      }
    });
    form.addEventListener("click", function (event) {
      var chip = event.target.closest("[data-filter-chip]");
      if (chip && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
        event.preventDefault();
        update(chip.href, { focus: focusedId() || { chip: 0 } });
      }
    });
    window.addEventListener("popstate", function (event) {
      // Only entries of this page's searches: a jump to an anchor (the skip link) has no state.
      if (event.state && event.state.search) {
        update(window.location.href, { history: false });
      }
    });
    window.history.replaceState({ search: true }, "", window.location.href);
    loadFilterCounts(form);
    nearMe(form);
  }

  // The "Filters (n)" link becomes a button that opens the panel.
  function filtersButton(link) {
    if (!link) {
      return null;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.id = link.id;
    button.className = link.className;
    button.innerHTML = link.innerHTML;
    button.setAttribute("aria-controls", "filters-panel");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("data-filters-toggle", "");
    link.replaceWith(button);
    return button;
  }

  // On a phone the panel is a modal dialog over the page; on a wide screen, a sidebar.
  function filterSheet(form, panel, toggle, phone) {
    var closeButton = panel.querySelector("[data-filters-close]");
    var outside = [];
    form.classList.add("filters-collapsible");

    function isOpen() {
      return panel.classList.contains("is-open");
    }

    function open() {
      panel.classList.add("is-open");
      toggle.setAttribute("aria-expanded", "true");
      if (phone.matches) {
        panel.setAttribute("role", "dialog");
        panel.setAttribute("aria-modal", "true");
        closeButton.hidden = false;
        document.documentElement.classList.add("has-sheet");
        outside = outsideOf(panel);
        outside.forEach(function (element) {
          element.inert = true;
        });
      }
      panel.focus();
    }

    function close(options) {
      if (!isOpen()) {
        return;
      }
      panel.classList.remove("is-open");
      toggle.setAttribute("aria-expanded", "false");
      panel.removeAttribute("role");
      panel.removeAttribute("aria-modal");
      closeButton.hidden = true;
      document.documentElement.classList.remove("has-sheet");
      outside.forEach(function (element) {
        element.inert = false;
      });
      outside = [];
      if (!options || options.focus !== false) {
        toggle.focus();
      }
    }

    toggle.addEventListener("click", function () {
      if (isOpen()) {
        close();
      } else {
        open();
      }
    });
    closeButton.addEventListener("click", function () {
      close();
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen()) {
        event.preventDefault();
        close();
      }
    });
    phone.addEventListener("change", function () {
      close({ focus: false });
    });
    return {
      close: function () {
        if (phone.matches) {
          close();
        }
      },
    };
  }

  // Everything on the page but the panel and what contains it: made inert while the dialog is open.
  function outsideOf(panel) {
    var found = [];
    var node = panel;
    while (node && node !== document.body) {
      var parent = node.parentElement;
      Array.prototype.forEach.call(parent.children, function (sibling) {
        if (sibling !== node && !sibling.inert && sibling.tagName !== "SCRIPT") {
          found.push(sibling);
        }
      });
      node = parent;
    }
    return found;
  }

  // Counting every filter of tens of thousands of results takes a moment: the counts come after.
  function loadFilterCounts(form) {
    var pending = form.querySelector("[data-facets-url]");
    if (!pending) {
      return;
    }
    fetch(pending.getAttribute("data-facets-url"), { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(new Error(String(response.status)));
      })
      .then(function (text) {
        if (!pending.isConnected) {
          return;
        }
        var template = document.createElement("template");
        template.innerHTML = text;
        pending.replaceWith(template.content);
      })
      .catch(function () {
        var note = pending.querySelector("noscript");
        if (note && pending.isConnected) {
          pending.innerHTML = note.textContent;
        }
      });
  }

  function nearMe(form) {
    var button = document.getElementById("near-me");
    if (!navigator.geolocation || !button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          ["lat", "lon"].forEach(function (name) {
            var input = document.getElementById("point-" + name);
            input.disabled = false;
            input.value = (name === "lat" ? position.coords.latitude : position.coords.longitude).toFixed(4);
          });
          var sort = document.getElementById("sort");
          if (!sort.querySelector("option[value=distance]")) {
            sort.add(new Option("distance", "distance"));
          }
          sort.value = "distance";
          button.disabled = false;
          form.requestSubmit();
        },
        function () {
          button.disabled = false;
        }
      );
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
