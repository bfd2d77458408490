/** One card per business: availability, trust badges, price and one large call button. */

import { h, icon } from "../lib/dom.js?v=__BUILD__";
import { formatDate, formatDistance, formatPrice, formatWhen, t } from "../lib/i18n.js?v=__BUILD__";
import { callbackOffer } from "./callback.js?v=__BUILD__";
import { recordCall } from "./call-follow-up.js?v=__BUILD__";

/** "Jetzt erreichbar bis 22:00", "Erreichbar ab Mo 07:00", ... */
export function availability(result, now = new Date()) {
  if (result.available) {
    return result.available_until
      ? t("result.available_until", { time: formatWhen(result.available_until, now) })
      : t("result.available");
  }
  return result.next_available
    ? t("result.next", { time: formatWhen(result.next_available, now) })
    : t("result.unavailable");
}

function badges(result) {
  const list = [];
  if (result.on_duty) list.push(h("li", { class: "badge badge-duty" }, t("result.on_duty")));
  if (result.duty_confirmed) list.push(h("li", { class: "badge badge-duty" }, t("result.duty_confirmed")));
  if (result.innungsbetrieb) list.push(h("li", { class: "badge" }, t("result.innung")));
  if (result.meisterbetrieb) list.push(h("li", { class: "badge" }, t("result.meister")));
  return list.length ? h("ul", { class: "badges", "aria-label": t("result.badges") }, list) : null;
}

/** A list item for `result`; `tradeName(slug)` names its trades. */
export function resultItem(result, { category, tradeName, headingLevel = "h3", now }) {
  const trades = result.trades.map(tradeName).join(", ");
  const address = result.address || {};
  const where = [address.street, [address.postcode, address.city].filter(Boolean).join(" ")]
    .filter(Boolean)
    .join(", ");
  const price =
    result.callout_price_eur === null || result.callout_price_eur === undefined
      ? t("result.price_unknown")
      : t("result.price", { price: formatPrice(result.callout_price_eur) });
  const call = h(
    "a",
    {
      class: "btn btn-call",
      href: `tel:${result.phone_e164}`,
      "data-business-id": result.id,
    },
    icon("phone"),
    h("span", {}, t("result.call")),
    h("span", { class: "phone" }, result.phone_display),
    // The accessible name starts with the visible text (WCAG 2.5.3) and adds whom it calls.
    h("span", { class: "vh" }, t("result.call_for", { name: result.name })),
  );
  // The beacon is queued synchronously; the tel: navigation is never held up.
  call.addEventListener("click", () => recordCall(result, category));
  return h(
    "li",
    { class: "result" },
    h(headingLevel, {}, result.name),
    h("p", { class: "meta" }, `${trades} · ${t("result.distance", { distance: formatDistance(result.distance_km) })}`),
    h("p", { class: `avail ${result.available ? "avail-now" : "avail-later"}` }, availability(result, now)),
    badges(result),
    h("p", {}, t(result.accepts_new_customers ? "result.new_customers_yes" : "result.new_customers_no")),
    h("p", {}, price),
    where ? h("p", { class: "meta" }, where) : null,
    call,
    callbackOffer(result, category),
    result.verified_at ? h("p", { class: "small" }, t("result.verified", { date: formatDate(result.verified_at) })) : null,
  );
}
