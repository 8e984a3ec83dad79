// Selecting words in a version's text quotes them in the comment form; the form works
// without this (paste the passage into "Quoted passage").
(function () {
  "use strict";
  const body = document.getElementById("version-body");
  const form = document.getElementById("thread-form");
  if (!body || !form) return;
  const quote = form.querySelector("textarea[name=quote]");
  const near = form.querySelector("input[name=near]");

  function offsetWithin(container, node, offset) {
    const range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!body.contains(range.commonAncestorContainer)) return;
    const text = selection.toString().trim();
    if (!text) return;
    quote.value = text;
    if (near) near.value = offsetWithin(body, range.startContainer, range.startOffset);
  });
})();
