// WBS pages: the anti-spam proof of work, forms that keep their chosen files when refused, and
// the receipt's copy button.
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

  // A form marked data-keep-files is sent in the background. Refused (400), the page the server
  // sends back replaces this one's content, but the file inputs the person filled stay as they
  // were: a browser cannot be given files back, so they are never taken away. Accepted, the
  // browser shows the answer as if the form had been sent the ordinary way.
  function send(form, done) {
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Keeps-Files": "1" },
      // Accepted forms redirect back to the page they were on (post, redirect, get): the
      // browser then loads it itself, with the confirmation the server left for it.
      redirect: "manual",
    }).then(function (response) {
      if (response.type === "opaqueredirect") { window.location.assign(window.location.href); return null; }
      return response.text().then(function (html) {
        // Refused (400) or slowed down (429): the same page comes back, files kept.
        if ((response.status === 400 || response.status === 429) && form.id) {
          refused(form, html);
        } else {
          document.open();
          document.write(html);
          document.close();
        }
      });
    }).catch(function () {
      done(); // the network failed: the form stays as it is, to be sent again
    });
  }

  // Files over the limit are named before anything is sent: a 20 MB photo refused after its
  // upload costs a reporter on a phone connection minutes and data.
  function fileProblem(form) {
    const most = parseFloat(form.dataset.maxMb || "0") * 1024 * 1024;
    const count = parseInt(form.dataset.maxFiles || "0", 10);
    const files = [];
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.from(input.files || []).forEach(function (file) { files.push(file); });
    });
    const big = files.filter(function (file) { return most && file.size > most; });
    if (big.length && form.dataset.msgTooBig) {
      return form.dataset.msgTooBig.replace("{names}", big.map(function (f) { return f.name; }).join(", "));
    }
    if (count && files.length > count && form.dataset.msgTooMany) return form.dataset.msgTooMany;
    return "";
  }

  function say(form, text) {
    let box = form.querySelector(".form-problem");
    if (!box) {
      box = document.createElement("p");
      box.className = "form-problem message message-error";
      box.setAttribute("role", "alert");
      form.insertBefore(box, form.querySelector("button[type=submit]"));
    }
    box.textContent = text;
  }

  function refused(form, html) {
    const fresh = new DOMParser().parseFromString(html, "text/html");
    const main = document.getElementById("main");
    const freshMain = fresh.getElementById("main");
    if (!main || !freshMain || !freshMain.querySelector("#" + form.id)) {
      document.open(); document.write(html); document.close(); return;
    }
    const kept = Array.from(form.querySelectorAll("input[type=file]"));
    main.replaceChildren.apply(main, Array.from(freshMain.childNodes).map(function (node) {
      return document.adoptNode(node);
    }));
    const again = document.getElementById(form.id);
    kept.forEach(function (input) {
      const slot = again.querySelector('input[type=file][name="' + input.name + '"]');
      if (slot) slot.replaceWith(input);
    });
    wire(main);
    const alert = main.querySelector("[role=alert], .errorlist, .message-error");
    if (alert) {
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    }
  }

  function wirePow(form) {
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
      const problem = fileProblem(form);
      if (problem) { say(form, problem); return; }
      sent = true;
      if (button) button.disabled = true;
      if (status) status.textContent = ready ? form.dataset.msgSending : form.dataset.msgWorking;
      solving.then(function () {
        if (status) status.textContent = form.dataset.msgSending;
        if ("keepFiles" in form.dataset) {
          send(form, function () {
            sent = false;
            if (button) button.disabled = false;
          });
        } else {
          form.submit();
        }
      });
    });
  }

  function wire(root) {
    root.querySelectorAll("form[data-pow]").forEach(wirePow);

    // Plain forms that must not be sent twice by a double click (messages, status changes).
    root.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.sent) { event.preventDefault(); return; }
        const problem = fileProblem(form);
        if (problem) { event.preventDefault(); say(form, problem); return; }
        form.dataset.sent = "true";
        if ("keepFiles" in form.dataset) {
          event.preventDefault();
          send(form, function () { delete form.dataset.sent; });
        }
      });
    });

    root.querySelectorAll("[data-copy-from]").forEach(function (button) {
      button.addEventListener("click", function () {
        const text = document.getElementById(button.dataset.copyFrom).textContent.replace(/\s+/g, "");
        const status = document.querySelector(".copy-status");
        navigator.clipboard.writeText(text).then(function () {
          if (status) status.textContent = button.dataset.msgCopied;
        });
      });
    });
  }

  wire(document);
})();
