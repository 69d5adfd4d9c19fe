/* The main navigation (templates/partials/mainnav.html), on top of what <details> does alone:
 *
 * - wide screens: the "Menu" <details> is always open (its summary is hidden by the CSS);
 *   phones (700 px or less): it starts closed and its summary opens it;
 * - one menu open at a time; Escape closes the open menu and puts the focus back on its
 *   summary; a click outside the navigation closes its menus.
 * Without JavaScript the same markup works: menus and the phone's "Menu" open and close.
 */
(function () {
  "use strict";

  var PHONE = "(max-width: 700px)";

  function start() {
    var menu = document.querySelector("[data-navmenu]");
    if (!menu) { return; }
    var groups = Array.prototype.slice.call(menu.querySelectorAll("[data-navgroup]"));
    var phone = window.matchMedia(PHONE);

    function fit() { menu.open = !phone.matches; }
    fit();
    if (phone.addEventListener) { phone.addEventListener("change", fit); }

    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (!group.open) { return; }
        groups.forEach(function (other) { if (other !== group) { other.open = false; } });
      });
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var open = groups.filter(function (g) { return g.open; })[0];
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
      } else if (phone.matches && menu.open && menu.contains(document.activeElement)) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });

    document.addEventListener("click", function (event) {
      if (menu.contains(event.target)) { return; }
      groups.forEach(function (g) { g.open = false; });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
