/**
 * "Rückruf anfordern" next to "Anrufen": the resident leaves a German number, the
 * business is called first and connected on "1". The state is shown as it changes
 * (polled every few seconds); the number is sent once and never stored on the device.
 */

import { h } from "../lib/dom.js?v=__BUILD__";
import { t } from "../lib/i18n.js?v=__BUILD__";

const POLL_MS = 3000;
const GIVE_UP_MS = 10 * 60 * 1000;
let forms = 0;

async function postCallback(body) {
  const response = await fetch("/api/v1/callbacks", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  return { status: response.status, data };
}

async function getState(id) {
  const response = await fetch(`/api/v1/callbacks/${encodeURIComponent(id)}`, {
    headers: { Accept: "application/json" },
  });
  return response.ok ? response.json() : null;
}

/** The resident's sentence for a state (the app's language, not the server's). */
export function stateText(callback) {
  switch (callback.state) {
    case "calling_business":
      return t("callback.calling_business");
    case "connected":
      return t("callback.connected");
    case "failed":
      return t("callback.failed");
    case "business_not_answered":
      return t(callback.business_notified_by_sms ? "callback.not_answered_sms" : "callback.not_answered");
    default:
      return t("callback.queued");
  }
}

/** Why a request was refused, in the app's language where the server gave none. */
function problemText(status, data) {
  if (status === 429) return t("callback.too_many");
  if (status === 422 && data?.errors?.[0]?.parameter === "phone") {
    return document.documentElement.lang === "de" && data.detail_de ? data.detail_de : t("callback.bad_phone");
  }
  return t("callback.error");
}

/** A disclosure with the callback form for `result` (emergency `category`, `channel`). */
export function callbackOffer(result, category, channel = "app") {
  const n = ++forms;
  const status = h("p", { class: "callback-status", role: "status", "aria-live": "polite" });
  const phone = h("input", {
    id: `cb-phone-${n}`, type: "tel", name: "phone", autocomplete: "tel", inputmode: "tel",
    required: true, maxlength: 32, "aria-describedby": `cb-hint-${n}`,
  });
  const consent = h("input", { id: `cb-consent-${n}`, type: "checkbox", name: "consent", required: true });
  const submit = h("button", { class: "btn btn-secondary", type: "submit" }, t("callback.submit"));
  const form = h(
    "form",
    { class: "callback-form", novalidate: true },
    h("label", { for: phone.id, class: "field-label" }, t("callback.phone")),
    h("p", { class: "small", id: `cb-hint-${n}` }, t("callback.hint")),
    phone,
    h("p", { class: "check" }, consent, h("label", { for: consent.id }, t("callback.consent"))),
    submit,
  );
  let timer = null;
  const follow = (id, started) => {
    timer = setTimeout(async () => {
      const now = await getState(id).catch(() => null);
      if (now) status.textContent = stateText(now);
      if (now?.final || Date.now() - started > GIVE_UP_MS) return;
      follow(id, started);
    }, POLL_MS);
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!phone.value.trim()) {
      status.textContent = t("callback.need_phone");
      phone.focus();
      return;
    }
    if (!consent.checked) {
      status.textContent = t("callback.need_consent");
      consent.focus();
      return;
    }
    submit.disabled = true;
    status.textContent = t("callback.sending");
    try {
      const { status: code, data } = await postCallback({
        business_id: result.id, phone: phone.value, consent: true, emergency: category || null, channel,
      });
      if (code !== 202) {
        status.textContent = problemText(code, data);
        submit.disabled = false;
        return;
      }
      phone.value = ""; // not kept in the page longer than needed
      form.hidden = true;
      status.textContent = stateText(data);
      clearTimeout(timer);
      follow(data.id, Date.now());
    } catch {
      status.textContent = t("callback.offline");
      submit.disabled = false;
    }
  });
  return h(
    "details",
    { class: "callback" },
    h("summary", {}, t("callback.offer"), h("span", { class: "vh" }, t("result.call_for", { name: result.name }))),
    form,
    status,
  );
}
