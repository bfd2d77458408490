/**
 * Call events: a tap on "Anrufen" sends an anonymous beacon; when the resident comes
 * back to the app afterwards, one question: "Haben Sie jemanden erreicht?".
 */

import { newId, sendCallEvent, sendOutcome } from "../lib/api.js?v=__BUILD__";
import { t } from "../lib/i18n.js?v=__BUILD__";
import { session } from "../lib/store.js?v=__BUILD__";

const PENDING = "pendingCall";
const ASK_WITHIN_MS = 2 * 60 * 60 * 1000; // after two hours the question no longer makes sense

let left = false;

/** Record the tap; remember (for this tab only) which call to ask about. */
export function recordCall(business, category) {
  const id = newId();
  sendCallEvent({ id, business_id: business.id, category, channel: "app" });
  session.set(PENDING, { id, businessId: business.id, name: business.name, at: Date.now() });
}

/** Thank the resident, or move the focus on to the next business's call button. */
function answered(status, reached, pending) {
  status.textContent = reached ? t("call.thanks") : t("call.try_next");
  if (reached) return;
  const links = [...document.querySelectorAll(".btn-call")].filter((a) => a.offsetParent);
  const index = links.findIndex((a) => a.dataset.businessId === String(pending.businessId));
  links[index + 1]?.focus();
}

/**
 * Ask after the resident left the app for the call and came back (or the tab was
 * reloaded); `status()` is the live region that says what happens next.
 */
export function initCallFollowUp({ dialog, status }) {
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
    answered(status(), answer === "yes", pending);
  });

  // The phone may have closed the tab during the call: ask once the app is open again.
  if (session.get(PENDING) && document.visibilityState === "visible") ask();
}
