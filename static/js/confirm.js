// Irreversible workflow buttons ask first (templates/meetings/_workflow.html).
// A form with data-confirm="ID" opens the dialog ID instead of posting; the
// dialog's own button is a submit button of that form (form="…"), marked
// data-confirmed, and only a submission from it goes through. The browser has
// already checked the form's fields (a required reason) before "submit" fires.
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    const dialog = document.getElementById(form.dataset.confirm);
    if (!dialog || !window.bootstrap) return;
    form.addEventListener("submit", (event) => {
      if (event.submitter && event.submitter.hasAttribute("data-confirmed")) return;
      event.preventDefault();
      window.bootstrap.Modal.getOrCreateInstance(dialog).show();
    });
    dialog.addEventListener("shown.bs.modal", () => {
      dialog.querySelector("[data-confirmed]").focus();
    });
  });
})();
