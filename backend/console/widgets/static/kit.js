// Embed kit: a copy button next to each snippet; without this script the text is selected by hand.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const area = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.status);
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(area.value);
        status.textContent = button.dataset.done;
      } catch {
        area.focus();
        area.select();
        status.textContent = document.execCommand("copy") ? button.dataset.done : button.dataset.failed;
      }
    });
  }
});
