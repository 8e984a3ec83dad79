// The merge workbench: when the choices no longer are those the result below was made
// from, say so (the note is the page's, translated there), so that the result is shown
// again before it is edited. Without this the server says it on saving.
(function () {
  "use strict";
  const form = document.getElementById("workbench-form");
  const note = document.getElementById("result-stale");
  if (!form || !note) return;
  const madeFrom = form.querySelector("input[name='result_of']");

  function accepted() {
    return Array.from(form.querySelectorAll("input[type='radio'][value='accept']:checked"))
      .map((radio) => radio.name.slice(1))
      .sort((a, b) => a - b)
      .join(",");
  }

  function made() {
    return (madeFrom.value || "")
      .split(",")
      .filter(Boolean)
      .sort((a, b) => a - b)
      .join(",");
  }

  form.addEventListener("change", (event) => {
    if (event.target.type !== "radio") return;
    note.hidden = accepted() === made();
  });
})();
