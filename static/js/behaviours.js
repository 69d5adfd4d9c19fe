/* Small page behaviours declared in the markup, instead of inline handlers (the
 * Content-Security-Policy allows no inline script):
 *
 * - <select data-autosubmit>: choosing an option submits its form (the language selector;
 *   a <noscript> button does it without JavaScript).
 * - <form data-confirm-message="…">: asks the browser's confirm() before submitting.
 */
(function () {
  "use strict";

  function start() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form) { select.form.requestSubmit(); }
      });
    });
    document.querySelectorAll("form[data-confirm-message]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm-message"))) {
          event.preventDefault();
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
