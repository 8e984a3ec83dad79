// Improves the editor when JavaScript runs: the preview follows the typing, and the
// "someone else has this draft open" notice stays fresh. Without it the form still saves
// and the Preview button still previews.
(function () {
  "use strict";
  const form = document.getElementById("editor-form");
  if (!form) return;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const body = form.querySelector("textarea[name=body]");
  const preview = document.getElementById("preview");

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf },
      body: data,
      credentials: "same-origin",
    });
  }

  let timer = null;
  let sent = 0;
  function refreshPreview() {
    const data = new FormData();
    data.append("body", body.value);
    const mine = ++sent;
    post(form.dataset.previewUrl, data)
      .then((response) => response.text())
      .then((html) => {
        if (mine === sent) preview.innerHTML = html; // sanitised by the server
      })
      .catch(() => {});
  }
  if (body && preview) {
    body.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refreshPreview, 400);
    });
    // After a refused save the form shows the error beside the field: the preview would
    // only repeat it.
    if (body.value && body.getAttribute("aria-invalid") !== "true") refreshPreview();
  }

  const editingUrl = form.dataset.editingUrl;
  const notice = document.getElementById("editing-notice");
  if (editingUrl) {
    setInterval(() => {
      post(editingUrl, new FormData())
        .then((response) => response.json())
        .then((data) => {
          if (notice && data.others.length) notice.hidden = false;
        })
        .catch(() => {});
    }, 60000);
  }
})();
