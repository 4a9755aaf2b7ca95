// After a sign-up with mistakes, move focus to the summary of errors so screen readers announce it first
// (a static file: the Content Security Policy refuses inline scripts).
const summary = document.getElementById("error-summary");
if (summary) {
  summary.focus();
}
