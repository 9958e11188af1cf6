// The editor's 확인할 사항 panel (templates/agenda/_checks_panel.html): a "Fix it"
// link points at a field of the overview form, which sits in a closed <details>.
// Open it first, then go to the field and put the cursor in it.
(function () {
  "use strict";
  document.querySelectorAll("#checks a.check-fix[data-opens]").forEach((link) => {
    link.addEventListener("click", (event) => {
      const panel = document.getElementById(link.dataset.opens);
      const target = document.getElementById(link.hash.slice(1));
      if (!panel || !target) return;
      event.preventDefault();
      panel.open = true;
      target.scrollIntoView({ block: "center" });
      const field = target.matches("input, select, textarea")
        ? target
        : target.querySelector("input:not([type=hidden]), select, textarea");
      if (field) field.focus({ preventScroll: true });
      history.replaceState(null, "", link.hash);
    });
  });
})();
