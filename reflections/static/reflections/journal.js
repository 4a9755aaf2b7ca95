/* Journal entry form: show the sections of the chosen template, and save drafts as you write.
   The form works without this file (CSS hides the other templates' sections; the buttons save). */
(function () {
  "use strict";
  var form = document.querySelector("form.entry-form");
  if (!form) return;

  function syncTemplate() {
    var chosen = form.querySelector("input[name=template]:checked");
    form.querySelectorAll("fieldset.sections[data-template]").forEach(function (fs) {
      fs.hidden = chosen ? fs.getAttribute("data-template") !== chosen.value : false;
    });
  }
  form.querySelectorAll("input[name=template]").forEach(function (radio) {
    radio.addEventListener("change", syncTemplate);
  });
  syncTemplate();

  var url = form.getAttribute("data-autosave-url");
  if (!url) return;
  var status = document.getElementById("autosave-status");
  var draftInput = form.querySelector("input[name=draft_id]");
  var dirty = false, saving = false;

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });

  function save(leaving) {
    if (!dirty || saving) return;
    saving = true; dirty = false;
    var data = new FormData(form);
    fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: !!leaving,
                 headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error("not saved");
        return response.json();
      })
      .then(function (answer) {
        if (answer.id) {
          draftInput.value = answer.id;
          if (window.location.pathname !== answer.edit_url && window.history.replaceState) {
            // A reload (or coming back after the phone locked) opens the draft, not an empty form.
            window.history.replaceState(null, "", answer.edit_url);
          }
        }
        if (status) status.textContent = (answer.draft ? "Draft saved at " : "Saved at ") + answer.saved_at + ".";
      })
      .catch(function () {
        dirty = true;
        if (status) status.textContent = "Couldn't save your draft just now. We'll keep trying.";
      })
      .finally(function () { saving = false; });
  }
  window.setInterval(save, 3000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });
  window.addEventListener("pagehide", function () { save(true); });
})();
