/**
 * The emergency view's list of businesses: "only reachable now" filter, a count for
 * screen readers, and for an answer kept on the device its age ("Stand: Sa 14:32").
 */

import { byId } from "../lib/dom.js?v=__BUILD__";
import { formatStamp, t } from "../lib/i18n.js?v=__BUILD__";
import { tradeName } from "../lib/reference.js?v=__BUILD__";
import { resultItem } from "./result.js?v=__BUILD__";

/** Empty the list and say `message` (loading, or nothing). */
export function clearAnswer(message) {
  byId("results").replaceChildren();
  byId("results-stale").hidden = true;
  byId("results-retry").hidden = true;
  byId("results-status").textContent = message;
}

/** Draw `answer` ({data, savedAt}: savedAt set when it comes from the device) or nothing. */
export function renderAnswer(answer, category) {
  const list = byId("results");
  const status = byId("results-status");
  const stale = byId("results-stale");
  if (!answer) {
    list.replaceChildren();
    stale.hidden = true;
    return;
  }
  const onlyNow = byId("only-now").checked;
  const results = answer.data.results.filter((r) => !onlyNow || r.available);
  const now = answer.savedAt ? new Date(answer.savedAt) : new Date(answer.data.at || Date.now());
  list.replaceChildren(...results.map((r) => resultItem(r, { category, tradeName, now })));
  if (!results.length) status.textContent = t(onlyNow ? "results.none_now" : "results.none");
  else if (results.length === 1) status.textContent = t("results.count_one");
  else status.textContent = t("results.count", { count: results.length });
  stale.hidden = !answer.savedAt;
  if (answer.savedAt) {
    stale.textContent = `${t("stamp", { time: formatStamp(answer.savedAt) })}. ${t("results.stale_note")}`;
  }
}
