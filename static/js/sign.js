// The sign page: signature_pad on the canvas; the drawing goes in as a PNG data URL.
(function () {
  const form = document.getElementById("sign-form");
  const canvas = document.getElementById("signature-canvas");
  if (!form || !canvas || !window.SignaturePad) return;
  const pad = new window.SignaturePad(canvas, { penColor: "rgb(20, 30, 110)" });
  document.getElementById("clear-signature").addEventListener("click", () => pad.clear());
  form.addEventListener("submit", () => {
    const drawn = form.querySelector("input[name=drawn]");
    drawn.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
  });
})();
