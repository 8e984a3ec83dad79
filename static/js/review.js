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

  // A letter or digit of a script with spaces between words (Han and kana characters are
  // words one each): the same rule as the server's (recommendations/anchoring.py).
  const spacedWord = /[\p{L}\p{N}_]/u;
  const unspaced = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
  function inWord(character) {
    return character !== undefined && spacedWord.test(character) && !unspaced.test(character);
  }

  // The selection narrowed to the whole words it holds: a drag that cut words keeps only
  // the whole ones, and one that holds none (an accidental "ho" of "who") quotes nothing.
  function wholeWords(text, start, end) {
    while (start < end && inWord(text[start]) && inWord(text[start - 1])) start++;
    while (end > start && inWord(text[end - 1]) && inWord(text[end])) end--;
    const raw = text.slice(start, end);
    const passage = raw.trim();
    if (!/[\p{L}\p{N}]/u.test(passage)) return null;
    return { passage, start: start + raw.indexOf(passage) };
  }

  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!body.contains(range.commonAncestorContainer)) return;
    const start = offsetWithin(body, range.startContainer, range.startOffset);
    const end = offsetWithin(body, range.endContainer, range.endOffset);
    const found = wholeWords(body.textContent, start, end);
    if (!found) return;
    quote.value = found.passage;
    if (near) near.value = found.start;
  });
})();

// "Show N earlier replies" and "More threads" bring their fragment in place of the link,
// which otherwise opens the page that holds them (the thread's page, the next page of
// threads). Focus moves to the first comment or thread brought; the live region says so.
(function () {
  "use strict";
  const live = document.querySelector("[data-announce]");

  async function bring(link) {
    const holder = link.closest("p.more");
    const response = await fetch(link.dataset.fragment, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    if (!response.ok) throw new Error(String(response.status));
    const template = document.createElement("template");
    template.innerHTML = await response.text();
    const brought = Array.from(template.content.children);
    holder.replaceWith(template.content);
    const first = brought.find((node) => !node.matches("p.more")) || brought[0];
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
    if (live) {
      const shown = brought.filter((node) => !node.matches("p.more")).length;
      const message = holder.classList.contains("more-threads")
        ? live.dataset.threadsShown
        : live.dataset.repliesShown;
      live.textContent = (message || "").replace("%s", String(shown));
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-fragment]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    link.setAttribute("aria-busy", "true");
    // Should the fragment not come, the link does what it does without script.
    bring(link).catch(() => {
      window.location.href = link.href;
    });
  });
})();
