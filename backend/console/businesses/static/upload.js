// Upload with a progress bar; without this script the form posts as usual.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-upload]");
  if (!form || !window.FormData) return;
  const box = form.querySelector(".upload-progress");
  const bar = form.querySelector("progress");
  const status = form.querySelector("[data-status]");
  form.addEventListener("submit", (event) => {
    if (!form.checkValidity()) return;
    event.preventDefault();
    const request = new XMLHttpRequest();
    box.hidden = false;
    status.textContent = status.dataset.sending;
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    request.upload.addEventListener("load", () => {
      bar.removeAttribute("value"); // indeterminate while the server checks the rows
      status.textContent = status.dataset.checking;
    });
    request.addEventListener("load", () => {
      document.open();
      document.write(request.responseText);
      document.close();
      history.replaceState(null, "", request.responseURL);
    });
    request.addEventListener("error", () => form.submit());
    request.open("POST", form.action);
    request.send(new FormData(form));
  });
});
