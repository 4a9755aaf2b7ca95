// Sign-up (a static file: the Content Security Policy refuses inline scripts).

// After a sign-up with mistakes, move focus to the summary of errors so screen readers announce it first.
const summary = document.getElementById("error-summary");
if (summary) {
  summary.focus();
}

// Suggest the web address from the organisation's name as it is typed, following the rules the server checks
// (tenants/forms.py: 3 to 40 lowercase letters, numbers or hyphens, no hyphen at either end, never two in a row).
// Once the person types an address of their own, it is theirs: the name never changes it again.
function suggestAddress(name) {
  const words = name
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")  // "Café" → "Cafe"
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['\u2019]/g, "")  // "St Mary's" → "st-marys", not "st-mary-s"
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const address = words.slice(0, 40).replace(/-+$/, "");
  return address.length >= 3 ? address : "";
}

const nameField = document.querySelector("[data-suggest-address-from]")
  ? document.getElementById(document.querySelector("[data-suggest-address-from]").dataset.suggestAddressFrom)
  : null;
const addressField = document.querySelector("[data-suggest-address-from]");
if (nameField && addressField) {
  // After a round trip with errors, an address that is not the name's suggestion was typed by the person.
  let ownAddress = addressField.value !== "" && addressField.value !== suggestAddress(nameField.value);
  nameField.addEventListener("input", () => {
    if (!ownAddress) {
      addressField.value = suggestAddress(nameField.value);
    }
  });
  addressField.addEventListener("input", () => {
    // Emptying the box hands it back to the suggestion.
    ownAddress = addressField.value !== "";
  });
}
