// "Seen" beacons: a page that records something about being opened (a mentor read an entry, a learner opened a
// lesson) carries a hidden POST form marked data-seen. GET requests never write, so the record is made here,
// by a POST with the page's CSRF token, once the page has loaded in a browser (link scanners do not run it).
(function () {
  "use strict";
  function send(form) {
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-Requested-With": "fetch" },
    }).catch(function () { /* a missed record is harmless: the next visit makes it */ });
  }
  document.querySelectorAll("form[data-seen]").forEach(send);
})();
