/* The admin's two-list selector (SelectFilter2.js) names its magnifier icons with aria-label on a
   plain span, which assistive technology ignores: they are given the role of an image, so that
   the name is read. Runs after the selector has been built, on the window's load. */
(function () {
  "use strict";
  window.addEventListener("load", function () {
    window.setTimeout(function () {
      document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
        icon.setAttribute("role", "img");
      });
    }, 0);
  });
})();
