// The certificate's "Print" button (a static file: the Content Security Policy refuses inline handlers).
document.querySelectorAll("[data-print-page]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
