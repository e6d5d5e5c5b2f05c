// The shared date input (cegah/core/inputs.py): the text says dd-mm-yyyy in every language;
// the calendar button opens the browser's own picker, which works by touch and by keyboard, and
// writes the chosen day back as dd-mm-yyyy. Without JavaScript the text field alone works.
(function () {
  "use strict";

  function pad(n) { return String(n).padStart(2, "0"); }

  // "06-12-2026" (and "06-12-2026 23.59") to what the browser's picker holds, and back.
  function toNative(text, withTime) {
    const m = /^\s*(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})(?:\s+(\d{1,2})[.:](\d{2}))?\s*$/.exec(text);
    if (!m) return "";
    const day = m[3] + "-" + pad(m[2]) + "-" + pad(m[1]);
    return withTime ? day + "T" + pad(m[4] || "0") + ":" + (m[5] || "00") : day;
  }

  function fromNative(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value);
    if (!m) return "";
    return m[3] + "-" + m[2] + "-" + m[1] + (m[4] ? " " + m[4] + "." + m[5] : "");
  }

  function wire(root) {
    root.querySelectorAll(".date-input").forEach(function (box) {
      if (box.dataset.wired) return;
      box.dataset.wired = "1";
      const text = box.querySelector("input[data-date-input]");
      const native = box.querySelector("input.date-native");
      const button = box.querySelector("[data-date-pick]");
      if (!text || !native || !button || typeof native.showPicker !== "function") return;
      button.hidden = false;
      button.addEventListener("click", function () {
        native.value = toNative(text.value, native.type === "datetime-local") || native.value;
        try { native.showPicker(); } catch (e) { text.focus(); }
      });
      native.addEventListener("change", function () {
        const shown = fromNative(native.value);
        if (shown) {
          text.value = shown;
          text.dispatchEvent(new Event("input", { bubbles: true }));
          text.dispatchEvent(new Event("change", { bubbles: true }));
          text.focus();
        }
      });
    });
  }

  wire(document);
  // Rows swapped in by htmx bring their own inputs.
  document.addEventListener("htmx:afterSwap", function (event) { wire(event.target); });

  // Leaving a page with something typed and not sent asks first. It watches forms in which
  // people write (a text area, a file, a number or a date), not sign-in or filter forms.
  const unsaved = new Set();
  function watched(form) {
    return form && form.method === "post" && !("noWarn" in form.dataset) &&
      form.querySelector("textarea, input[type=file], input[data-number-kind], input[data-date-input]");
  }
  document.addEventListener("input", function (event) {
    const form = event.target.form;
    if (watched(form)) unsaved.add(form);
  });
  document.addEventListener("change", function (event) {
    const form = event.target.form;
    if (watched(form)) unsaved.add(form);
  });
  document.addEventListener("submit", function (event) { unsaved.delete(event.target); });
  document.addEventListener("htmx:beforeRequest", function (event) {
    unsaved.delete(event.target.closest ? event.target.closest("form") : null);
  });
  window.addEventListener("beforeunload", function (event) {
    unsaved.forEach(function (form) { if (!form.isConnected) unsaved.delete(form); });
    if (unsaved.size) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need it to ask
    }
  });
})();
