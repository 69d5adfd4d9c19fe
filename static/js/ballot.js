/* The Board's ballot sheet (templates/grants/board/session.html): each row shows the
 * fields that go with the vote chosen (amount and conditions with an approval, feedback
 * with an approval or a decline). Without JavaScript every field shows; a field holding
 * text or an error always shows, so nothing typed is ever hidden.
 */
(function () {
  "use strict";

  function refresh(row) {
    var checked = row.querySelector("input[type=radio]:checked");
    var vote = checked ? checked.value : "";
    row.querySelectorAll("[data-ballot-when]").forEach(function (box) {
      var wanted = box.getAttribute("data-ballot-when").split(" ").indexOf(vote) !== -1;
      var input = box.querySelector("input, textarea");
      var kept = (input && input.value.trim() !== "") || box.querySelector(".errorlist");
      box.hidden = !(wanted || kept);
    });
  }

  function start() {
    document.querySelectorAll("[data-ballot-row]").forEach(function (row) {
      refresh(row);
      row.addEventListener("change", function () { refresh(row); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
