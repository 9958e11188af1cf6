// Every page: the language menu switches as soon as a language is chosen.
// (A listener, not an onchange attribute: the Content-Security-Policy allows no inline script.)
document.querySelectorAll("select[data-submit-on-change]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
