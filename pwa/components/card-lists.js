/**
 * The Notfallkarte's lists: for every emergency its safety advice and call-first
 * button, then the businesses stored for the home place (or why there are none).
 */

import { h, icon } from "../lib/dom.js?v=__BUILD__";
import { pick, t } from "../lib/i18n.js?v=__BUILD__";
import { adviceOnly, allEmergencies, tradeName } from "../lib/reference.js?v=__BUILD__";
import { resultItem } from "./result.js?v=__BUILD__";

/** One section per emergency for the stored `card` ({savedAt, lists}; null: none yet). */
export function cardLists(card) {
  const now = new Date();
  return allEmergencies().map((emergency) => {
    const headingId = `card-${emergency.slug}`;
    const section = h(
      "section",
      { "aria-labelledby": headingId },
      h("h2", { id: headingId, class: "with-icon" }, icon(emergency.icon), pick(emergency, "label")),
    );
    if (emergency.safety) {
      section.append(
        h("p", { class: "advice" }, pick(emergency.safety, "advice")),
        h(
          "a",
          { class: "btn btn-sos", href: `tel:${emergency.safety.call_first}` },
          icon("phone"),
          t("safety.call_first", { number: emergency.safety.call_first }),
        ),
      );
    }
    if (adviceOnly(emergency)) return section;
    const list = card?.lists?.[emergency.slug];
    if (!list) {
      section.append(h("p", {}, t("emcard.no_list")));
    } else if (!list.results.length) {
      section.append(h("p", {}, t("results.none")));
    } else {
      const items = list.results.map((r) => resultItem(r, { category: emergency.slug, tradeName, now }));
      section.append(h("ol", { class: "results-list" }, items));
    }
    return section;
  });
}
