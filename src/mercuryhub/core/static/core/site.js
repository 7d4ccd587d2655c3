// What every page does with JavaScript (base.html), kept out of the page so that the Content
// Security Policy allows no inline script.
(function () {
  "use strict";
  function ready() {
    // On a phone the full hint does not fit in the search field: a shorter one says the same.
    var field = document.getElementById("header-q");
    if (field && field.dataset.narrowPlaceholder) {
      var wide = field.placeholder;
      var narrow = window.matchMedia("(max-width: 40rem)");
      var fit = function () { field.placeholder = narrow.matches ? field.dataset.narrowPlaceholder : wide; };
      fit();
      narrow.addEventListener("change", fit);
    }
    // A choice that takes effect at once (the language): its form is sent when it changes.
    document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // The service worker that keeps pages for offline use (not with debug on).
    var worker = document.body.dataset.serviceWorker;
    if (worker && "serviceWorker" in navigator) {
      navigator.serviceWorker.register(worker).catch(function () {});
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
