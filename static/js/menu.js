// The phone header: a Menu button that shows and hides the navigation. Loaded in <head> (a static file: the
// Content Security Policy refuses inline scripts) so the page is marked before it is drawn and the menu never
// flashes open. Without JavaScript the navigation simply shows in full.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!menu) return;
  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  };
  toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (toggle.getAttribute("aria-expanded") === "true" && !menu.contains(event.target) && !toggle.contains(event.target)) {
      setOpen(false);
    }
  });

  // A tab bar that scrolls sideways on a phone starts with the current tab in view.
  for (const current of document.querySelectorAll(".tabs [aria-current='page'], .account-nav [aria-current='page']")) {
    const list = current.closest("ul");
    if (list && list.scrollWidth > list.clientWidth) {
      list.scrollLeft = current.offsetLeft - list.clientWidth / 2 + current.offsetWidth / 2;
    }
  }
});
