/* Confirmation before irreversible steps (templates/partials/confirm.html).
 *
 * Without JavaScript the form carries a required "I understand" box. With it, the box is
 * hidden and submitting opens the form's <dialog>, which states what will happen; its
 * confirm button ticks the box and submits. The server refuses the step without it.
 */
(function () {
  "use strict";

  function enhance(box) {
    var form = box.closest("form");
    var dialog = box.querySelector("dialog");
    var tick = box.querySelector("input[name=confirmed]");
    if (!form || !dialog || !tick || typeof dialog.showModal !== "function") { return; }
    var submitter = null;
    box.querySelector(".confirm-check").hidden = true;
    tick.required = false;
    tick.checked = false;

    form.addEventListener("submit", function (event) {
      if (tick.checked) { return; }
      event.preventDefault();
      submitter = event.submitter || null;
      dialog.showModal();
    });
    dialog.querySelector("[data-confirm-yes]").addEventListener("click", function () {
      tick.checked = true;
      dialog.close();
      if (submitter) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
    });
    dialog.querySelector("[data-confirm-no]").addEventListener("click", function () {
      dialog.close();
    });
    // Back to a page kept in the browser's cache: ask again next time.
    window.addEventListener("pageshow", function () { tick.checked = false; });
  }

  function start() {
    document.querySelectorAll("[data-confirm]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
