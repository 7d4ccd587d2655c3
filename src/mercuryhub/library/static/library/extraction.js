/* The progress of reading an uploaded file's text: asks the API how far it is until it is
   done or has failed, and shows it in the page's <progress> bar. */
(function () {
  "use strict";
  function follow(box) {
    var url = box.getAttribute("data-extraction-url");
    var bar = box.querySelector("progress");
    var label = box.querySelector("[data-extraction-label]");
    var line = box.querySelector(".extraction");
    function ask() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) { return; }
          bar.value = state.progress;
          bar.textContent = state.progress + " %";
          label.textContent = line.getAttribute(
            state.extraction === "done" ? "data-done-text" : "data-running-text"
          );
          if (state.extraction === "failed") {
            line.className = "notice";
            line.textContent = line.getAttribute("data-failed-text") + " " + state.extraction_error;
          } else if (state.extraction !== "done") {
            window.setTimeout(ask, 1500);
          }
        })
        .catch(function () { window.setTimeout(ask, 5000); });
    }
    window.setTimeout(ask, 1000);
  }
  var boxes = document.querySelectorAll("[data-extraction-url]");
  for (var i = 0; i < boxes.length; i += 1) { follow(boxes[i]); }
})();
