// WBS reporter pages: the anti-spam proof of work and the receipt's copy button.
// The proof of work starts as soon as the page opens, so it is usually done before the person
// has finished writing. It identifies nobody: it only costs the browser a moment of work.
(function () {
  "use strict";

  function zeroBits(bytes) {
    let bits = 0;
    for (const byte of bytes) {
      if (byte === 0) { bits += 8; continue; }
      return bits + Math.clz32(byte) - 24;
    }
    return bits;
  }

  async function solve(token, bits) {
    const encoder = new TextEncoder();
    for (let counter = 0; ; counter++) {
      const digest = await crypto.subtle.digest("SHA-256", encoder.encode(token + ":" + counter));
      if (zeroBits(new Uint8Array(digest)) >= bits) return String(counter);
    }
  }

  document.querySelectorAll("form[data-pow]").forEach(function (form) {
    const status = form.querySelector(".pow-status");
    const button = form.querySelector("button[type=submit]");
    const token = form.querySelector("[name=pow_token]").value;
    const bits = parseInt(form.dataset.powBits, 10);
    let ready = false;
    let sent = false;
    if (status) status.textContent = form.dataset.msgWorking;
    const solving = solve(token, bits).then(function (solution) {
      form.querySelector("[name=pow_solution]").value = solution;
      ready = true;
      form.dataset.powReady = "true";
      if (status) status.textContent = form.dataset.msgReady;
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sent) return; // a second click never sends the report twice
      sent = true;
      if (button) button.disabled = true;
      if (status) status.textContent = ready ? form.dataset.msgSending : form.dataset.msgWorking;
      solving.then(function () {
        if (status) status.textContent = form.dataset.msgSending;
        form.submit();
      });
    });
  });

  // Plain forms that must not be sent twice by a double click (messages, status changes).
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "true";
    });
  });

  document.querySelectorAll("[data-copy-from]").forEach(function (button) {
    button.addEventListener("click", function () {
      const text = document.getElementById(button.dataset.copyFrom).textContent.replace(/\s+/g, "");
      const status = document.querySelector(".copy-status");
      navigator.clipboard.writeText(text).then(function () {
        if (status) status.textContent = button.dataset.msgCopied;
      });
    });
  });
})();
