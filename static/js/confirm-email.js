// One-click email confirmation: a fresh link's page sends its confirmation form as soon as it is open in a
// browser. The GET that opened the page wrote nothing (a link scanner that only fetches the page confirms
// nothing); without JavaScript, the big button does the same in one tap.
(function () {
  "use strict";
  const form = document.querySelector("form[data-submit-on-open]");
  if (!form) return;
  const status = document.querySelector(".confirm-email-status");
  if (status) status.textContent = "Confirming your email address…";
  form.requestSubmit();
})();
