// The coverage report's one fate form, in a dialog: each source's "Set fate" link opens it
// for that source. Without this script (or without <dialog>), the link opens the source's
// own fate page, which holds the same form.
(function () {
  "use strict";
  const dialog = document.getElementById("fate-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const form = document.getElementById("fate-dialog-form");
  const source = document.getElementById("fate-dialog-source");
  const now = document.getElementById("fate-dialog-now");
  const fate = form.elements.namedItem("fate");
  const reason = form.elements.namedItem("reason");
  let opener = null;

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-fate-dialog]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    opener = link;
    form.action = link.href;
    source.textContent = link.dataset.source;
    now.textContent = link.dataset.now;
    fate.value = link.dataset.fate;
    reason.value = link.dataset.reason;
    dialog.showModal();
    fate.focus();
  });

  dialog.addEventListener("close", () => {
    if (opener) opener.focus();
    opener = null;
  });
})();
