/* Searchable selects: <select data-searchable> becomes a Tom Select box (issue 15).
 *
 * Without JavaScript (or before this runs) the select is a plain one that works. The
 * library (static/vendor/tom-select-*.complete.min.js and its CSS) is loaded only on pages
 * that have such a select; its addresses are the data-tom-select(-css) attributes of this
 * script's own tag. Every word shown comes from the select's data-* attributes, rendered by
 * the server in the page's language (fundapp/core/widgets.py): data-placeholder,
 * data-no-results, data-remove-label, and data-help (replaces the field's help text, which
 * speaks of Ctrl-click for the plain list). The options keep the server's order (names in
 * the reader's language, sorted for it); typing matches without accents ("cote" finds
 * Côte d'Ivoire).
 */
(function () {
  "use strict";

  var me = document.currentScript;
  var jsUrl = me && me.getAttribute("data-tom-select");
  var cssUrl = me && me.getAttribute("data-tom-select-css");

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function enhance(select) {
    if (select.tomselect || typeof window.TomSelect !== "function") { return; }
    var multiple = select.multiple;
    var noResults = select.getAttribute("data-no-results") || "";
    var removeLabel = select.getAttribute("data-remove-label") || "";
    var options = {
      maxOptions: null,
      allowEmptyOption: true,
      hideSelected: multiple,
      closeAfterSelect: !multiple,
      placeholder: select.getAttribute("data-placeholder") || undefined,
      plugins: multiple ? { remove_button: { title: removeLabel, label: "×" } } : {},
      render: {
        no_results: function () {
          return '<div class="no-results">' + escapeHtml(noResults) + "</div>";
        }
      }
    };
    /* The browser's own size attribute would keep the plain list's height. */
    select.removeAttribute("size");
    var box = new window.TomSelect(select, options);
    /* Name the box by the field's label (axe: the typing input must have a label, not just
       a title) and take the hidden original select out of the accessibility tree. */
    var input = box.control_input;
    var label = (input && input.id && document.querySelector('label[for="' + input.id + '"]')) ||
      (select.id && document.querySelector('label[for="' + select.id + '"]'));
    if (input && label) {
      if (!label.id) { label.id = (select.id || input.id) + "-label"; }
      input.setAttribute("aria-labelledby", label.id);
      input.removeAttribute("title");
    }
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    var help = select.getAttribute("data-help");
    var helpNode = select.id && document.getElementById(select.id + "_helptext");
    if (help && helpNode) { helpNode.textContent = help; }
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[data-searchable]").forEach(enhance);
  }

  function load(done) {
    if (typeof window.TomSelect === "function") { done(); return; }
    if (!jsUrl) { return; }
    if (cssUrl && !document.querySelector('link[data-tom-select]')) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = cssUrl;
      link.setAttribute("data-tom-select", "");
      document.head.appendChild(link);
    }
    var script = document.createElement("script");
    script.src = jsUrl;
    script.onload = done;
    document.head.appendChild(script);
  }

  function start() {
    if (!document.querySelector("select[data-searchable]")) { return; }
    load(function () { enhanceAll(document); });
  }

  /* Selects that arrive later in an htmx fragment. */
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.querySelector &&
        event.target.querySelector("select[data-searchable]")) {
      load(function () { enhanceAll(event.target); });
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
