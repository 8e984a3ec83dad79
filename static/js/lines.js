// Citing lines of a frozen version: click a line number, shift-click another, and the
// citation ("Advocacy 3, Second iteration, lines 12-14") appears with a link to those lines;
// an address ending in #L12-L14 marks them on load. Without this script each number is a
// link to its own line and the page says how to cite the version.
(function () {
  "use strict";

  function boundsOf(element) {
    const first = Number(element.dataset.first || element.dataset.line);
    return [first, Number(element.dataset.last || first)];
  }

  function lineElements(box) {
    return box.querySelectorAll(".line[data-line], .lines-range[data-first]");
  }

  function mark(box, first, last) {
    let firstElement = null;
    lineElements(box).forEach(function (element) {
      const [from, to] = boundsOf(element);
      const inside = to >= first && from <= last;
      element.classList.toggle("line-selected", inside);
      if (inside && !firstElement) firstElement = element;
    });
    return firstElement;
  }

  function cite(box, first, last) {
    const prefix = box.dataset.prefix || "";
    const pattern = first === last ? box.dataset.citeOne : box.dataset.citeRange;
    const text = pattern.replace("{first}", String(first)).replace("{last}", String(last));
    const hash = "#" + prefix + "L" + first + (last > first ? "-L" + last : "");
    const shown = box.querySelector(".line-cite-selected");
    shown.querySelector(".line-cite-text").textContent = text;
    shown.querySelector(".line-cite-link").href = box.dataset.url + hash;
    shown.hidden = false;
    mark(box, first, last);
    history.replaceState(null, "", hash);
  }

  document.addEventListener("click", function (event) {
    const number = event.target.closest(".line-number");
    const box = number && number.closest("[data-cite-one]");
    if (!box) return;
    event.preventDefault();
    const [first, last] = boundsOf(number.parentElement);
    if (event.shiftKey && box.lineAnchor) {
      const [anchorFirst, anchorLast] = box.lineAnchor;
      cite(box, Math.min(first, anchorFirst), Math.max(last, anchorLast));
    } else {
      box.lineAnchor = [first, last];
      cite(box, first, last);
    }
  });

  // Selecting text over some lines cites those lines.
  document.addEventListener("mouseup", function () {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    const element = function (node) {
      return (node.nodeType === 1 ? node : node.parentElement).closest(".line, .lines-range");
    };
    const start = element(range.startContainer);
    const end = element(range.endContainer);
    const box = start && start.closest("[data-cite-one]");
    if (!box || !end || end.closest("[data-cite-one]") !== box) return;
    cite(box, boundsOf(start)[0], boundsOf(end)[1]);
  });

  function fromAddress() {
    const hash = decodeURIComponent(location.hash.slice(1));
    document.querySelectorAll("[data-cite-one]").forEach(function (box) {
      const prefix = box.dataset.prefix || "";
      if (!hash.startsWith(prefix + "L")) return;
      const found = /^L(\d+)(?:-L(\d+))?$/.exec(hash.slice(prefix.length));
      if (!found) return;
      const first = Number(found[1]);
      const last = Math.max(first, Number(found[2] || found[1]));
      box.lineAnchor = [first, last];
      const element = mark(box, first, last);
      if (element) element.scrollIntoView({ block: "center" });
    });
  }

  fromAddress();
  window.addEventListener("hashchange", fromAddress);
})();
