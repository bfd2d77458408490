/**
 * Notfallkarte: the resident saves a home place; the app keeps the current list for
 * every emergency there on the device and refreshes it when online, so that in a
 * power cut the numbers still work without internet.
 */

import { ApiError, getJSON } from "./api.js?v=__BUILD__";
import { byId, h, icon } from "./dom.js?v=__BUILD__";
import { formatStamp, pick, t } from "./i18n.js?v=__BUILD__";
import { createPicker } from "./picker.js?v=__BUILD__";
import { resultItem } from "./results.js?v=__BUILD__";
import { cardData, homePlace, prefs, searchParams } from "./store.js?v=__BUILD__";

const PER_CATEGORY = 3;
const STALE_AFTER_MS = 30 * 60 * 1000;

let ctx = null; // {emergencies, tradeName}
let picker = null;
let busy = false;

const searchable = () => ctx.emergencies.filter((e) => e.safety?.level !== "advice_only");

async function fetchList(emergency, place) {
  const params = { emergency: emergency.slug, ...searchParams(place), available: "any", limit: PER_CATEGORY };
  const data = await getJSON("/api/v1/search", params);
  return { ...data, results: data.results.slice(0, PER_CATEGORY) };
}

/** Fetch every category for the home place; keeps the old list of any that fails. */
export async function refreshCard({ announce = true } = {}) {
  const home = homePlace();
  if (!ctx || !home || busy) return;
  busy = true;
  const status = byId("card-status");
  if (announce) status.textContent = t("emcard.refreshing");
  const old = cardData()?.lists || {};
  const lists = {};
  let failed = 0;
  for (const emergency of searchable()) {
    try {
      lists[emergency.slug] = await fetchList(emergency, home);
    } catch {
      failed += 1;
      if (old[emergency.slug]) lists[emergency.slug] = old[emergency.slug];
    }
  }
  busy = false;
  if (failed < searchable().length) prefs.set("card", { savedAt: Date.now(), lists });
  if (announce) status.textContent = failed ? t("emcard.refresh_failed") : t("emcard.updated");
  renderCard();
}

/** Refresh in the background when the stored lists are older than half an hour. */
export function refreshCardIfStale() {
  const card = cardData();
  if (!homePlace() || !navigator.onLine) return;
  if (!card || Date.now() - card.savedAt > STALE_AFTER_MS) refreshCard({ announce: false });
}

async function saveHome(place) {
  const status = byId("card-status");
  status.textContent = t("emcard.refreshing");
  const first = searchable()[0];
  try {
    const data = await fetchList(first, place);
    const where = data.location;
    prefs.set("home", {
      kind: place.kind === "postcode" ? "postcode" : "coordinates",
      label: place.kind === "text" || place.kind === "postcode" ? where.label || place.label : place.label,
      postcode: where.postcode || place.postcode,
      lat: where.lat,
      lon: where.lon,
    });
  } catch (error) {
    if (error instanceof ApiError && error.problem?.candidates) {
      status.textContent = t("location.candidates");
      picker.showCandidates(error.problem.candidates);
    } else {
      status.textContent = error.status === 0 ? t("emcard.offline") : t("location.not_found");
    }
    return;
  }
  await refreshCard();
  byId("card-heading").focus();
}

function renderLists(card) {
  const now = new Date();
  return ctx.emergencies.map((emergency) => {
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
    if (emergency.safety?.level === "advice_only") return section;
    const list = card?.lists?.[emergency.slug];
    if (!list) {
      section.append(h("p", {}, t("emcard.no_list")));
    } else if (!list.results.length) {
      section.append(h("p", {}, t("results.none")));
    } else {
      const items = list.results.map((r) =>
        resultItem(r, { category: emergency.slug, tradeName: ctx.tradeName, now }),
      );
      section.append(h("ol", { class: "results-list" }, items));
    }
    return section;
  });
}

/** Draw the card view from what is stored on the device. */
export function renderCard() {
  if (!ctx) return;
  const home = homePlace();
  const card = cardData();
  byId("card-setup").hidden = Boolean(home);
  byId("card-home").hidden = !home;
  if (home) {
    byId("card-home-label").textContent = t("emcard.home", { place: home.label });
    byId("card-stamp").textContent = card
      ? `${t("stamp", { time: formatStamp(card.savedAt) })} ${t("emcard.note")}`
      : t("emcard.no_list");
  }
  byId("card-lists").replaceChildren(...(home ? renderLists(card) : []));
  picker?.retranslate();
}

/** Wire the card view once the reference data is known. */
export function initCard(context) {
  ctx = context;
  if (!picker) {
    picker = createPicker(byId("picker-card"), { id: "card", remember: false, onPlace: saveHome });
    byId("card-refresh").addEventListener("click", () => {
      if (!navigator.onLine) {
        byId("card-status").textContent = t("emcard.offline");
        return;
      }
      refreshCard();
    });
    byId("card-change").addEventListener("click", () => {
      byId("card-setup").hidden = false;
      picker.focus();
    });
    byId("card-delete").addEventListener("click", () => {
      prefs.remove("home");
      prefs.remove("card");
      byId("card-status").textContent = t("emcard.deleted");
      renderCard();
      picker.focus();
    });
  }
  renderCard();
}
