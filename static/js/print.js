// A button marked data-print opens the browser's print dialogue (the join-code slip). No inline handlers: the
// Content Security Policy allows only our own script files.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
