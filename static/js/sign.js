// The sign page: signature_pad on the canvas; the drawing goes in as a PNG data URL.
//
// The canvas has as many pixels as the screen (device pixel ratio), so a finger's
// stroke on a phone is as sharp as a mouse's. A refused submission (a wrong
// password) comes back with the drawing in the hidden field: it is drawn again,
// and posted again exactly as it was unless the signer draws more or clears it.
(function () {
  "use strict";
  const form = document.getElementById("sign-form");
  const canvas = document.getElementById("signature-canvas");
  if (!form || !canvas || !window.SignaturePad) return;
  const drawn = form.querySelector("input[name=drawn]");
  const pad = new window.SignaturePad(canvas, { penColor: "rgb(20, 30, 110)" });
  let kept = drawn.value.startsWith("data:image/png;base64,") ? drawn.value : "";
  let touched = false;
  let width = 0;

  function fit() {
    // Phones resize the window as the address bar slides away while scrolling:
    // only a change of width needs a new bitmap (which would clear the canvas).
    if (!canvas.offsetWidth || canvas.offsetWidth === width) return;
    width = canvas.offsetWidth;
    const ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 3);
    const strokes = pad.toData();
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    if (kept) {
      pad.fromDataURL(kept, { ratio, width: canvas.offsetWidth, height: canvas.offsetHeight });
    }
    pad.fromData(strokes, { clear: false });
  }

  pad.addEventListener("beginStroke", () => (touched = true));
  document.getElementById("clear-signature").addEventListener("click", () => {
    kept = "";
    touched = true;
    pad.clear();
  });
  form.addEventListener("submit", () => {
    if (kept && !touched) drawn.value = kept;
    else drawn.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
  });

  // Only the chosen way of signing is shown: the canvas, or the seal's file field.
  const drawArea = document.getElementById("draw-area");
  const sealField = document.getElementById("div_id_seal");
  function showMethod() {
    const method = form.querySelector("input[name=method]:checked")?.value;
    drawArea.hidden = method !== "drawn";
    if (sealField) sealField.hidden = method !== "seal";
    fit();
  }
  form.querySelectorAll("input[name=method]").forEach((radio) => radio.addEventListener("change", showMethod));
  window.addEventListener("resize", fit);
  showMethod();

  // After a refusal the page opens at the form (its address ends in #sign-form):
  // the field to correct gets the focus, the password first.
  // (At "load": the browser's own scroll to #sign-form would take the focus away.)
  const invalid = form.querySelector("input.is-invalid");
  if (invalid) window.addEventListener("load", () => invalid.focus());
})();
