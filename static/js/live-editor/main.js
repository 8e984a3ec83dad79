// The live editor (docs/live-editing.md): title, summary and body as shared Yjs texts in
// CodeMirror editors, kept in step with the draft's room on the server over a WebSocket,
// with everyone's cursor and name. Without JavaScript, or before it connects, the page is
// the plain form with its three-way merge; the form's fields keep the live text, so the
// preview and a save without the connection still work.
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { yCollab } from "y-codemirror.next";
import { EditorView, basicSetup } from "codemirror";
import { markdown } from "@codemirror/lang-markdown";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";

// The page's CSP nonce, for the <style> element CodeMirror adds (read while this script
// runs: document.currentScript is null later).
const nonce = document.currentScript ? document.currentScript.nonce : "";

// Beyond y-websocket's message types: "Save with a summary" (recommendations/live/consumers.py),
// and the server's notices (recommendations/live/room.py).
const MESSAGE_SAVE = 100;
const MESSAGE_NOTICE = 101;
const NOTICES = { kept: "live-kept", "too-large": "live-too-large" };
// Every so often the browser asks the room for what it lacks (sync step 1), so that an
// update the server's channel layer dropped is made up.
const RESYNC_MS = 10000;

function start(form) {
  const doc = new Y.Doc();
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const provider = new WebsocketProvider(
    `${scheme}://${location.host}${form.dataset.liveUrl}`,
    "live/",
    doc,
    {
      resyncInterval: RESYNC_MS,
      // 4400-4499 (y-websocket's default: 4403, no longer allowed in the draft) and 1009 (a
      // message too large) are final: sent again, they would be refused again.
      shouldReconnect: (event) => !(event.code >= 4400 && event.code < 4500) && event.code !== 1009,
    },
  );
  const people = document.getElementById("live-people");
  const notice = document.getElementById("editing-notice");

  let saving = false;
  provider.messageHandlers[MESSAGE_SAVE] = () => {
    saving = false;
    location.assign(form.dataset.doneUrl);
  };

  provider.messageHandlers[MESSAGE_NOTICE] = (_encoder, decoder) => {
    const notice = document.getElementById(NOTICES[decoding.readVarString(decoder)]);
    if (notice) notice.hidden = false;
  };

  provider.on("closed", (event) => {
    const notice = document.getElementById(event.code === 1009 ? "live-too-large" : "live-refused");
    if (notice) notice.hidden = false;
  });

  const fields = ["title", "summary", "body"].map((name) => {
    const input = form.querySelector(`[name=${name}]`);
    const text = doc.getText(name);
    return { name, input, text };
  });

  provider.once("sync", () => {
    for (const { name, input, text } of fields) {
      if (!input) continue;
      const host = document.createElement("div");
      host.className = `live-field live-${name}`;
      host.dataset.field = name;
      input.hidden = true;
      input.after(host);
      const label = form.querySelector(`label[for=${input.id}]`);
      const view = new EditorView({
        doc: text.toString(),
        extensions: [
          basicSetup,
          EditorView.cspNonce.of(nonce),
          ...(name === "body" ? [markdown()] : []),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({
            "aria-label": label ? label.textContent.trim() : name,
            dir: "auto",
          }),
          yCollab(text, provider.awareness),
        ],
        parent: host,
      });
      text.observe(() => {
        input.value = text.toString();
        if (name === "body") input.dispatchEvent(new Event("input"));
      });
      host.view = view;
    }
    form.classList.add("live");
    if (notice) notice.hidden = true;
    if (people) people.hidden = false;
  });

  // The server sets the same name and colour on what it passes on (consumers.py).
  provider.awareness.setLocalStateField("user", {
    name: form.dataset.userName,
    color: form.dataset.userColour,
  });
  function showPeople() {
    if (!people) return;
    const list = people.querySelector("ul");
    list.replaceChildren();
    for (const state of provider.awareness.getStates().values()) {
      if (!state.user || !state.user.name) continue;
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "live-swatch";
      swatch.style.backgroundColor = state.user.color;
      item.append(swatch, document.createTextNode(state.user.name));
      list.append(item);
    }
  }
  provider.awareness.on("change", showPeople);

  // "Save with a summary": the room writes the live text as a revision with the summary.
  form.addEventListener("submit", (event) => {
    const save = event.submitter && event.submitter.name === "save";
    if (!save || !provider.wsconnected || !form.classList.contains("live")) return;
    event.preventDefault();
    if (saving) return;
    saving = true;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SAVE);
    encoding.writeVarString(encoder, form.querySelector("[name=edit_summary]").value);
    provider.ws.send(encoding.toUint8Array(encoder));
  });
  return provider;
}

const form = document.getElementById("editor-form");
if (form && form.dataset.liveUrl) window.liveEditor = start(form);
