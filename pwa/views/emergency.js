/**
 * Emergency view (#/notfall/<slug>): safety advice first, then where the resident is
 * and the businesses nearby; when the network fails, the last answer kept on the device.
 */

import { clearAnswer, renderAnswer } from "../components/result-list.js?v=__BUILD__";
import { createPicker } from "../components/picker.js?v=__BUILD__";
import { ApiError, searchNear } from "../lib/api.js?v=__BUILD__";
import { byId, show } from "../lib/dom.js?v=__BUILD__";
import { pick, t } from "../lib/i18n.js?v=__BUILD__";
import { adviceOnly, emergencyBySlug } from "../lib/reference.js?v=__BUILD__";
import { currentView } from "../lib/router.js?v=__BUILD__";
import { homePlace, loadResults, placeKey, rememberedPlace, rememberPlace } from "../lib/store.js?v=__BUILD__";
import { saveResults, setTownPlace, townPlace } from "../lib/store.js?v=__BUILD__";

const RESULT_LIMIT = 20;

// answer: {data, savedAt}, savedAt set when shown from the device, not the network;
// search: a ticket, so that only the newest search draws its answer.
const state = { emergency: null, place: null, answer: null, search: 0 };

let picker = null;

const draw = () => renderAnswer(state.answer, state.emergency?.slug);

function renderSafety(emergency) {
  const safety = emergency.safety;
  show(byId("safety"), Boolean(safety));
  show(byId("search-area"), !adviceOnly(emergency));
  if (!safety) return;
  byId("safety-advice").textContent = pick(safety, "advice");
  byId("safety-call").href = `tel:${safety.call_first}`;
  byId("safety-call-label").textContent = t("safety.call_first", { number: safety.call_first });
  show(byId("safety-only"), adviceOnly(emergency));
}

function showPlace(place) {
  show(byId("place-current"), Boolean(place));
  byId("picker-search").hidden = Boolean(place);
  if (place) byId("place-current-label").textContent = t("location.current", { place: place.label });
}

async function search(place) {
  const emergency = state.emergency;
  const ticket = ++state.search;
  state.place = place;
  state.answer = null;
  showPlace(place);
  clearAnswer(t("results.loading"));
  byId("results").setAttribute("aria-busy", "true");
  try {
    const data = await searchNear(emergency, place, RESULT_LIMIT);
    if (ticket !== state.search) return; // a newer search has started
    if (["text", "postcode"].includes(place.kind) && data.location?.label) place.label = data.location.label;
    showPlace(place);
    const kept = rememberedPlace();
    if (kept && placeKey(kept) === placeKey(place)) rememberPlace(place, true); // with its full label
    saveResults(emergency.slug, place, data);
    state.answer = { data, savedAt: null };
    draw();
  } catch (error) {
    if (ticket !== state.search) return;
    searchFailed(error, emergency, place);
  } finally {
    if (ticket === state.search) byId("results").removeAttribute("aria-busy");
  }
}

function searchFailed(error, emergency, place) {
  const status = byId("results-status");
  const candidates = error instanceof ApiError ? error.problem?.candidates : null;
  if (candidates?.length) {
    showPlace(null);
    status.textContent = t("location.candidates");
    picker.showCandidates(candidates);
    return;
  }
  if (error.status === 0 || error.status >= 500) {
    const stored = loadResults(emergency.slug, place);
    if (stored) {
      state.answer = stored;
      draw();
      return;
    }
    status.textContent = t(navigator.onLine ? "results.error" : "results.offline_none");
    byId("results-retry").hidden = false;
    return;
  }
  showPlace(null);
  status.textContent = t("location.not_found");
  picker.say(t("location.not_found"));
  picker.focus();
}

function enter(emergency) {
  state.emergency = emergency;
  state.answer = null;
  state.search += 1;
  byId("em-icon").setAttribute("href", `#i-${emergency.icon}`);
  byId("em-label").textContent = pick(emergency, "label");
  clearAnswer("");
  renderSafety(emergency);
  if (adviceOnly(emergency)) return;
  picker = createPicker(byId("picker-search"), {
    id: "search",
    onPlace: (place, { remember }) => {
      setTownPlace(null); // the resident's own choice replaces the link's town
      rememberPlace(place, remember);
      search(place);
    },
  });
  const known = townPlace() || rememberedPlace() || homePlace();
  if (known) search(known);
  else showPlace(null);
}

function retranslate() {
  if (currentView() !== "emergency") return;
  byId("em-label").textContent = pick(state.emergency, "label");
  renderSafety(state.emergency);
  picker?.retranslate();
  if (state.place) showPlace(state.place);
  draw();
}

/** Wire the view's own controls once. */
export function initEmergency() {
  byId("only-now").addEventListener("change", draw);
  byId("results-retry").addEventListener("click", () => state.place && search(state.place));
  byId("place-change").addEventListener("click", () => {
    byId("place-current").hidden = true;
    byId("picker-search").hidden = false;
    picker.focus();
  });
}

export const emergencyView = {
  name: "emergency",
  section: "view-emergency",
  heading: "em-heading",
  match: (section, slug) => section === "notfall" && emergencyBySlug(slug),
  enter,
  title: (emergency) => pick(emergency, "label"),
  retranslate,
};
