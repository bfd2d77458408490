/**
 * Notfallkarte (#/notfallkarte): the resident saves a home place; the app keeps the
 * current list for every emergency there on the device and refreshes it when online,
 * so that in a power cut the numbers still work without internet.
 */

import { cardLists } from "../components/card-lists.js?v=__BUILD__";
import { createPicker } from "../components/picker.js?v=__BUILD__";
import { ApiError, searchNear } from "../lib/api.js?v=__BUILD__";
import { byId } from "../lib/dom.js?v=__BUILD__";
import { formatStamp, t } from "../lib/i18n.js?v=__BUILD__";
import { searchable } from "../lib/reference.js?v=__BUILD__";
import { cardData, homePlace, prefs } from "../lib/store.js?v=__BUILD__";

const PER_CATEGORY = 3;
const STALE_AFTER_MS = 30 * 60 * 1000;

let picker = null;
let busy = false;

async function fetchList(emergency, place) {
  const data = await searchNear(emergency, place, PER_CATEGORY);
  return { ...data, results: data.results.slice(0, PER_CATEGORY) };
}

/** Fetch every category for the home place; keeps the old list of any that fails. */
export async function refreshCard({ announce = true } = {}) {
  const home = homePlace();
  if (!picker || !home || busy) return;
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

/** Draw the card view from what is stored on the device. */
export function renderCard() {
  if (!picker) return; // not wired yet: the reference data has not arrived
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
  byId("card-lists").replaceChildren(...(home ? cardLists(card) : []));
  picker?.retranslate();
}

/** Wire the card view once the reference data is known. */
export function initCard() {
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

export const cardView = {
  name: "card",
  section: "view-card",
  heading: "card-heading",
  match: (section) => section === "notfallkarte",
  enter: renderCard,
  retranslate: renderCard,
};
