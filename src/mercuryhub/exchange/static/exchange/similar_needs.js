// The need form: as the title and description are typed, the open needs that look like it are
// shown under the title (a fragment of /exchange/needs/similar/), so that people join a need
// already posted rather than post it twice. Without JavaScript the form simply shows none.
(function () {
  "use strict";
  var title = document.querySelector("[data-similar-needs]");
  if (!title || !window.fetch) return;
  var description = title.form && title.form.elements.namedItem("description");
  var box = document.createElement("div");
  box.className = "similar-needs";
  box.id = "similar-needs";
  box.setAttribute("aria-live", "polite");
  var row = title.closest(".form-row") || title;
  row.parentNode.insertBefore(box, row.nextSibling);
  var edited = window.location.pathname.match(/\/need\/(\d+)\/edit\//);
  var timer = null;
  var asked = "";

  function ask() {
    var params = new URLSearchParams();
    params.set("name", title.value);
    if (description) params.set("description", description.value);
    if (edited) params.set("exclude", edited[1]);
    var query = params.toString();
    if (query === asked) return;
    asked = query;
    fetch(title.getAttribute("data-similar-needs") + "?" + query, {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { if (query === asked) box.innerHTML = html.trim(); })
      .catch(function () {});
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 400);
  }

  title.addEventListener("input", later);
  if (description) description.addEventListener("input", later);
  if (title.value) ask();
})();
