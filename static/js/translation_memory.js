// The translation memory's "Insert": one click puts a match into its unit's field, which
// keeps the focus so the translator edits it at once. Without script the buttons stay
// hidden and the matches are there to copy.
(function () {
  "use strict";
  document.querySelectorAll(".memory-insert").forEach(function (button) {
    var field = document.getElementById(button.dataset.target);
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      field.value = button.dataset.text;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
    });
  });
})();
