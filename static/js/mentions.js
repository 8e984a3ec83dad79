// Completion of @mentions in a comment box: in a <form data-mentions="URL">, typing "@"
// and a letter or more in its comment (textarea[name=body]) lists the people who may read
// what is commented on and match those letters (asked of URL?q=..., at most a few), in a
// listbox the box controls (aria-controls, aria-activedescendant, aria-autocomplete, the
// count said in a live region). The box stays a textbox: the ARIA combobox is a single
// line, and a comment is not; its readers expect to edit text there. Without this
// script, "@username" typed in full is a mention all the same (recommendations/
// text/mentions.py holds the rule; the pattern below is the same).
//
// Keys while the list is open: Down and Up move through the matches; Enter or Tab inserts
// the highlighted one ("@username "); Escape closes the list. A click inserts too. The
// words shown come from the form's data attributes, in the page's language.
(function () {
  "use strict";
  let made = 0;

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? values[name] : whole));
  }

  // "@" and the letters typed so far, just before the caret, not after a letter, a digit
  // or "@ . + -" (an e-mail address is not a mention).
  const typing = /(?:^|[^\p{L}\p{N}_@.+-])@([\p{L}\p{N}_][\p{L}\p{N}_.+-]*)$/u;

  function enhance(form) {
    const box = form.querySelector("textarea[name=body]");
    if (!box) return;
    const words = form.dataset;
    const id = `mentions-${++made}`;
    const list = element("ul", {
      id: `${id}-listbox`,
      class: "mentions-list",
      role: "listbox",
      "aria-label": words.mentionsLabel || "",
      hidden: "",
    });
    const live = element("div", { class: "visually-hidden", "aria-live": "polite" });
    const wrapper = element("div", { class: "mentions" });
    box.parentNode.insertBefore(wrapper, box);
    wrapper.append(box, list, live);
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", list.id);

    let options = [];
    let active = -1;
    let asked = null;
    let timer = null;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      options = [];
      active = -1;
      box.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      options.forEach((option, at) => {
        option.node.setAttribute("aria-selected", at === index ? "true" : "false");
        option.node.classList.toggle("active", at === index);
      });
      active = index;
      if (index >= 0) {
        box.setAttribute("aria-activedescendant", options[index].node.id);
        options[index].node.scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }

    function show(people) {
      list.replaceChildren();
      options = people.map((person, at) => {
        const node = element("li", { id: `${id}-option-${at}`, class: "mentions-option", role: "option" });
        node.append(element("span", { dir: "auto" }, person.name));
        if (person.name !== person.username) {
          node.append(" ", element("span", { class: "meta", dir: "auto" }, `@${person.username}`));
        }
        // Pressing the option must not take the focus from the comment box.
        node.addEventListener("mousedown", (event) => event.preventDefault());
        node.addEventListener("click", () => insert(at));
        list.append(node);
        return { node, username: person.username };
      });
      if (!options.length) {
        list.append(element("li", { class: "mentions-empty", role: "presentation" }, words.mentionsNone || ""));
      }
      list.hidden = false;
      highlight(options.length ? 0 : -1);
      live.textContent = options.length
        ? say(words.mentionsCount || "%(count)s", { count: options.length })
        : words.mentionsNone || "";
    }

    function typed() {
      if (box.selectionStart !== box.selectionEnd) return null;
      const found = typing.exec(box.value.slice(0, box.selectionStart));
      return found ? found[1] : null;
    }

    function ask() {
      const letters = typed();
      if (asked) asked.abort();
      if (letters === null) {
        close();
        return;
      }
      asked = new AbortController();
      const address = `${form.dataset.mentions}?q=${encodeURIComponent(letters)}`;
      fetch(address, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: asked.signal,
      })
        .then((response) => (response.ok ? response.json() : { people: [] }))
        .then((answer) => {
          if (typed() === letters) show(answer.people || []);
        })
        .catch(() => {});
    }

    function insert(index) {
      const option = options[index];
      if (!option) return;
      const caret = box.selectionStart;
      const before = box.value.slice(0, caret);
      const letters = typed() || "";
      const start = before.length - letters.length - 1;
      const after = box.value.slice(caret);
      const text = `@${option.username}${/^\s/.test(after) ? "" : " "}`;
      box.value = box.value.slice(0, start) + text + after;
      const at = start + text.length + (/^\s/.test(after) ? 1 : 0);
      box.setSelectionRange(at, at);
      close();
      box.focus();
    }

    box.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    box.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown" && options.length) {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp" && options.length) {
        event.preventDefault();
        highlight((active - 1 + options.length) % options.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        insert(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    box.addEventListener("blur", close);
  }

  document.querySelectorAll("form[data-mentions]").forEach(enhance);
})();
