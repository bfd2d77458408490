/**
 * The parts around every view: the header's language button, the offline and update
 * banners (the update banner belongs to the service worker, registered here), and the
 * footer's "Daten auf diesem Gerät löschen".
 */

import { byId, show } from "../lib/dom.js?v=__BUILD__";
import { lang, setLanguage, t } from "../lib/i18n.js?v=__BUILD__";
import { currentView } from "../lib/router.js?v=__BUILD__";
import { clearAll, prefs } from "../lib/store.js?v=__BUILD__";

/** German or English, the choice kept on the device; `onSwitched` redraws the views. */
export function initLanguageSwitch({ onSwitched }) {
  const button = byId("lang-switch");
  button.addEventListener("click", async () => {
    const next = lang() === "de" ? "en" : "de";
    await setLanguage(next);
    prefs.set("lang", next);
    onSwitched();
    document.title = t("app.title");
    button.focus();
  });
}

/** Forget everything on the device, after asking; `onCleared` redraws what showed it. */
export function initClearData({ onCleared }) {
  byId("clear-data").addEventListener("click", () => {
    if (!window.confirm(t("footer.clear_confirm"))) return;
    clearAll();
    byId(currentView() === "card" ? "card-status" : "home-status").textContent = t("footer.cleared");
    onCleared();
  });
}

/** The offline banner while offline; `onOnline` runs whenever the connection returns. */
export function watchConnection({ onOnline }) {
  const update = () => show(byId("offline-banner"), !navigator.onLine);
  window.addEventListener("online", () => {
    update();
    onOnline();
  });
  window.addEventListener("offline", update);
  update();
}

/**
 * Register /sw.js for the offline shell. A new build waits until the resident taps
 * "Neu laden" in the update banner, so old and new files never mix in one page.
 */
export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  let updateRequested = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only reload for an update the resident asked for, never on the first install.
    if (updateRequested) location.reload();
  });
  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then((registration) => {
      const offer = () => {
        const waiting = registration.waiting;
        if (!waiting || !navigator.serviceWorker.controller) return;
        byId("update-banner").hidden = false;
        byId("update-button").onclick = () => {
          updateRequested = true;
          waiting.postMessage({ type: "SKIP_WAITING" });
        };
      };
      offer();
      registration.addEventListener("updatefound", () => {
        const worker = registration.installing;
        worker?.addEventListener("statechange", () => worker.state === "installed" && offer());
      });
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible" && navigator.onLine) registration.update().catch(() => {});
      });
    })
    .catch(() => {}); // without a service worker the app still works online
}
