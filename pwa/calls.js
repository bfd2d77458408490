/**
 * Call events: a tap on "Anrufen" sends an anonymous beacon; when the resident comes
 * back to the app afterwards, one question: "Haben Sie jemanden erreicht?".
 */

import { newId, sendCallEvent, sendOutcome } from "./api.js?v=__BUILD__";
import { t } from "./i18n.js?v=__BUILD__";
import { session } from "./store.js?v=__BUILD__";

const PENDING = "pendingCall";
const ASK_WITHIN_MS = 2 * 60 * 60 * 1000; // after two hours the question no longer makes sense

let left = false;

/** Record the tap; remember (for this tab only) which call to ask about. */
export function recordCall(business, category) {
  const id = newId();
  sendCallEvent({ id, business_id: business.id, category, channel: "app" });
  session.set(PENDING, { id, businessId: business.id, name: business.name, at: Date.now() });
}

/** Ask after the resident left the app for the call and came back (or the tab was reloaded). */
export function initCallFollowUp({ dialog, onAnswer }) {
  const ask = () => {
    const pending = session.get(PENDING);
    if (!pending || dialog.open) return;
    if (Date.now() - pending.at > ASK_WITHIN_MS) {
      session.remove(PENDING);
      return;
    }
    dialog.querySelector("#call-business").textContent = t("call.business", { name: pending.name });
    dialog.returnValue = "";
    dialog.showModal();
  };

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      left = Boolean(session.get(PENDING));
    } else if (left) {
      left = false;
      ask();
    }
  });

  for (const button of dialog.querySelectorAll("[data-answer]")) {
    button.addEventListener("click", () => dialog.close(button.dataset.answer));
  }
  dialog.addEventListener("close", () => {
    const pending = session.get(PENDING);
    session.remove(PENDING);
    const answer = dialog.returnValue;
    if (!pending || (answer !== "yes" && answer !== "no")) return;
    sendOutcome(pending.id, answer === "yes");
    onAnswer?.(answer === "yes", pending);
  });

  // The phone may have closed the tab during the call: ask once the app is open again.
  if (session.get(PENDING) && document.visibilityState === "visible") ask();
}
