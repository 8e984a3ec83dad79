// A <select multiple data-multichoice> becomes a search box over its options (a combobox
// with a multi-select listbox, as the ARIA authoring practices describe one), with the
// chosen options as removable chips above it. The select stays in the form, hidden, and
// holds the choice: what is posted is what it would post without this script. The words
// shown come from the select's data attributes, in the page's language
// (strategy/widgets.py).
//
// Keys in the search box: typing filters (every word typed must appear in the group, the
// number or the title); Down and Up move through the matches, opening the list; Enter
// chooses or unchooses the highlighted one (after a search, it empties the box and closes
// the list); Escape closes the list, then clears the text; Backspace in an empty box
// removes the last chip. A click on an option chooses or unchooses it.
(function () {
  "use strict";
  let made = 0;

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Case and accents do not count: "Sante" finds "Santé".
  function normalized(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
  }

  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? values[name] : whole));
  }

  function enhance(select) {
    const id = select.id || `multichoice-${++made}`;
    select.id = id;
    const words = select.dataset;
    const label = document.querySelector(`label[for="${id}"]`);
    const help = document.getElementById(`${id}_helptext`);

    const box = element("div", { class: "multichoice" });
    const chips = element("ul", { class: "multichoice-chips", "aria-label": words.chosen || "" });
    const control = element("div", { class: "multichoice-control" });
    const input = element("input", {
      type: "text",
      id: `${id}-search`,
      class: "multichoice-search",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": `${id}-listbox`,
      autocomplete: "off",
      spellcheck: "false",
      dir: "auto",
    });
    const list = element("div", {
      id: `${id}-listbox`,
      class: "multichoice-list",
      role: "listbox",
      "aria-multiselectable": "true",
    });
    list.hidden = true;
    const empty = element("div", { class: "multichoice-empty" }, words.empty || "");
    const live = element("div", { class: "visually-hidden", "aria-live": "polite" });

    if (label) {
      label.htmlFor = input.id;
      label.id = label.id || `${id}-label`;
      list.setAttribute("aria-labelledby", label.id);
    }
    if (help) {
      help.textContent = words.hint || help.textContent;
      input.setAttribute("aria-describedby", help.id);
    }
    if (select.getAttribute("aria-invalid") === "true") input.setAttribute("aria-invalid", "true");
    if (select.required) {
      // The server says what is missing; a hidden required select would stop the form with
      // a message pointing at nothing.
      input.setAttribute("aria-required", "true");
      select.required = false;
    }

    // One entry per option: its node in the list, its chip's name and what a search reads;
    // an <optgroup> becomes a group of the list, headed by its label.
    const entries = [];
    const groups = new Map();
    for (const option of select.options) {
      const parent = option.parentElement;
      const grouped = parent.tagName === "OPTGROUP";
      if (grouped && !groups.has(parent)) {
        const heading = element(
          "div",
          { class: "multichoice-group-label", id: `${id}-group-${groups.size}`, role: "presentation" },
          parent.label,
        );
        const node = element("div", { role: "group", "aria-labelledby": heading.id });
        node.append(heading);
        list.append(node);
        groups.set(parent, node);
      }
      const text = option.textContent.trim();
      const node = element(
        "div",
        { id: `${id}-option-${entries.length}`, class: "multichoice-option", role: "option", dir: "auto" },
        text,
      );
      (grouped ? groups.get(parent) : list).append(node);
      entries.push({
        option,
        node,
        name: grouped ? `${parent.label} ${text}` : text,
        search: normalized(grouped ? `${parent.label} ${text}` : text),
      });
    }
    list.append(empty);

    let active = null;
    let visible = entries;

    function renderChips() {
      chips.replaceChildren();
      const chosen = entries.filter((entry) => entry.option.selected);
      for (const entry of chosen) {
        const chip = element("li", { class: "multichoice-chip" });
        chip.append(element("span", { dir: "auto" }, entry.name));
        const remove = element("button", {
          type: "button",
          class: "multichoice-remove",
          "aria-label": say(words.remove || "%(choice)s", { choice: entry.name }),
        }, "\u00d7");
        remove.addEventListener("click", () => {
          toggle(entry);
          input.focus();
        });
        chip.append(remove);
        chips.append(chip);
      }
      if (!chosen.length) chips.append(element("li", { class: "multichoice-none" }, words.none || ""));
      for (const entry of entries) {
        entry.node.setAttribute("aria-selected", entry.option.selected ? "true" : "false");
      }
    }

    function toggle(entry) {
      entry.option.selected = !entry.option.selected;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      renderChips();
      live.textContent = say(entry.option.selected ? words.added : words.removed, {
        choice: entry.name,
      });
    }

    function highlight(entry) {
      if (active) active.node.classList.remove("active");
      active = entry;
      if (entry) {
        entry.node.classList.add("active");
        input.setAttribute("aria-activedescendant", entry.node.id);
        entry.node.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function filter(announce = true) {
      const terms = normalized(input.value).split(/\s+/).filter(Boolean);
      visible = [];
      for (const entry of entries) {
        const shown = terms.every((term) => entry.search.includes(term));
        entry.node.hidden = !shown;
        if (shown) visible.push(entry);
      }
      for (const owner of groups.values()) {
        owner.hidden = !owner.querySelector('[role="option"]:not([hidden])');
      }
      empty.hidden = visible.length > 0;
      if (!visible.includes(active)) highlight(null);
      if (announce) live.textContent = say(words.count || "%(count)s", { count: visible.length });
    }

    function open() {
      if (!list.hidden) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      highlight(null);
    }

    function move(step) {
      open();
      if (!visible.length) return;
      const at = visible.indexOf(active);
      const next = at === -1 ? (step > 0 ? 0 : visible.length - 1) : at + step;
      highlight(visible[Math.max(0, Math.min(visible.length - 1, next))]);
    }

    input.addEventListener("input", () => {
      open();
      filter();
      highlight(input.value.trim() ? visible[0] || null : null);
    });
    input.addEventListener("click", open);
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (event.altKey) open();
        else move(1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        move(-1);
      } else if (event.key === "Enter") {
        // Enter chooses; it does not send the form while the list is open. A search is
        // done once it has chosen: the box is emptied for the next one.
        if (!list.hidden) {
          event.preventDefault();
          if (active) toggle(active);
          if (input.value) {
            input.value = "";
            close();
            filter(false);
          }
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          filter();
        }
      } else if (event.key === "Backspace" && !input.value) {
        const chosen = entries.filter((entry) => entry.option.selected);
        if (chosen.length) toggle(chosen[chosen.length - 1]);
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", () => {
      // A click in the list keeps the focus in the box (mousedown below), so a blur is
      // leaving it.
      close();
    });
    list.addEventListener("mousedown", (event) => event.preventDefault());
    list.addEventListener("click", (event) => {
      const node = event.target.closest('[role="option"]');
      const entry = node && entries.find((candidate) => candidate.node === node);
      if (!entry) return;
      highlight(entry);
      toggle(entry);
      input.focus();
    });

    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    control.append(input, list);
    box.append(chips, control, live);
    select.after(box);
    renderChips();
    filter(false);
  }

  document.querySelectorAll("select[multiple][data-multichoice]").forEach(enhance);
})();
