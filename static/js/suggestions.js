// Selecting words in a version's text offers "Suggest a change", which puts them in the
// suggestion form (the passage, and which occurrence) and moves to it. Without this the
// form works as it is: choose what it changes and paste the passage.
(function () {
  "use strict";
  const body = document.getElementById("version-body");
  const form = document.getElementById("suggestion-form");
  if (!body || !form) return;
  const quote = form.querySelector("textarea[name='suggest-quote']");
  const near = form.querySelector("input[name='suggest-near']");
  const target = form.querySelector("select[name='suggest-target']");
  const words = form.querySelector("textarea[name='suggest-replacement']");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button suggest-selection";
  button.textContent = form.dataset.label || "Suggest a change";
  button.hidden = true;
  document.body.appendChild(button);
  let chosen = null;

  // The offset of a point of the text in the words a reader sees (the server's
  // plain_text): line numbers and suggested words are shown by the stylesheet, not text.
  function offsetWithin(container, node, offset) {
    const range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
      return;
    }
    const range = selection.getRangeAt(0);
    if (!body.contains(range.commonAncestorContainer)) return;
    const raw = range.toString();
    const passage = raw.trim();
    if (!passage) return;
    const start = offsetWithin(body, range.startContainer, range.startOffset);
    chosen = { passage, start: start + raw.indexOf(passage) };
    const box = range.getBoundingClientRect();
    button.style.top = window.scrollY + box.bottom + 4 + "px";
    button.style.left = window.scrollX + box.left + "px";
    button.hidden = false;
  });

  button.addEventListener("click", () => {
    if (!chosen) return;
    quote.value = chosen.passage;
    if (near) near.value = chosen.start;
    if (target) target.value = "passage";
    button.hidden = true;
    words.value = chosen.passage;
    words.focus();
    words.select();
  });
})();
