/**
 * Handwerker-Schnellruf: start screen, emergency view (safety advice first, then place
 * and results), Notfallkarte, language switch, offline state and service worker updates.
 * Views are switched by the URL hash (#/, #/notfall/<slug>, #/notfallkarte).
 */

import { ApiError, getJSON } from "./api.js?v=__BUILD__";
import { initCallFollowUp } from "./calls.js?v=__BUILD__";
import { initCard, refreshCardIfStale, renderCard } from "./card.js?v=__BUILD__";
import { byId, h, icon, show } from "./dom.js?v=__BUILD__";
import { formatStamp, lang, pick, preferredLanguage, setLanguage, t } from "./i18n.js?v=__BUILD__";
import { createPicker } from "./picker.js?v=__BUILD__";
import { resultItem } from "./results.js?v=__BUILD__";
import {
  clearAll,
  homePlace,
  loadResults,
  placeKey,
  prefs,
  rememberedPlace,
  rememberPlace,
  saveResults,
  searchParams,
} from "./store.js?v=__BUILD__";

const RESULT_LIMIT = 20;

const state = {
  emergencies: [],
  trades: {},
  view: null,
  emergency: null,
  place: null,
  answer: null, // {data, savedAt}: savedAt set when shown from the device, not the network
  search: 0,
};

let picker = null;

const tradeName = (slug) => (state.trades[slug] ? pick(state.trades[slug], "name") : slug);

/* ---------- reference data ---------- */

async function loadReference() {
  try {
    const [emergencies, trades] = await Promise.all([
      getJSON("/api/v1/emergencies"),
      getJSON("/api/v1/trades"),
    ]);
    prefs.set("reference", { emergencies, trades });
    return { emergencies, trades };
  } catch {
    return prefs.get("reference"); // offline: the copy from the last visit
  }
}

async function startReference() {
  const status = byId("home-status");
  status.textContent = t("home.loading");
  byId("home-retry").hidden = true;
  const reference = await loadReference();
  if (!reference) {
    status.textContent = t("home.error");
    byId("home-retry").hidden = false;
    return false;
  }
  state.emergencies = reference.emergencies;
  state.trades = Object.fromEntries(reference.trades.map((trade) => [trade.slug, trade]));
  status.textContent = "";
  initCard({ emergencies: state.emergencies, tradeName });
  return true;
}

/* ---------- start screen ---------- */

function renderTiles() {
  const tiles = state.emergencies.map((emergency) =>
    h(
      "li",
      {},
      h(
        "a",
        { class: `tile${emergency.safety ? " tile-safety" : ""}`, href: `#/notfall/${emergency.slug}` },
        icon(emergency.icon),
        h("span", {}, pick(emergency, "label")),
      ),
    ),
  );
  byId("tiles").replaceChildren(...tiles);
}

/* ---------- emergency view ---------- */

function renderSafety(emergency) {
  const safety = emergency.safety;
  show(byId("safety"), Boolean(safety));
  show(byId("search-area"), safety?.level !== "advice_only");
  if (!safety) return;
  byId("safety-advice").textContent = pick(safety, "advice");
  byId("safety-call").href = `tel:${safety.call_first}`;
  byId("safety-call-label").textContent = t("safety.call_first", { number: safety.call_first });
  show(byId("safety-only"), safety.level === "advice_only");
}

function showPlace(place) {
  show(byId("place-current"), Boolean(place));
  byId("picker-search").hidden = Boolean(place);
  if (place) byId("place-current-label").textContent = t("location.current", { place: place.label });
}

function renderAnswer() {
  const list = byId("results");
  const status = byId("results-status");
  const stale = byId("results-stale");
  const answer = state.answer;
  if (!answer) {
    list.replaceChildren();
    stale.hidden = true;
    return;
  }
  const onlyNow = byId("only-now").checked;
  const results = answer.data.results.filter((r) => !onlyNow || r.available);
  const now = answer.savedAt ? new Date(answer.savedAt) : new Date(answer.data.at || Date.now());
  list.replaceChildren(
    ...results.map((r) => resultItem(r, { category: state.emergency.slug, tradeName, now })),
  );
  if (!results.length) status.textContent = t(onlyNow ? "results.none_now" : "results.none");
  else if (results.length === 1) status.textContent = t("results.count_one");
  else status.textContent = t("results.count", { count: results.length });
  stale.hidden = !answer.savedAt;
  if (answer.savedAt) {
    stale.textContent = `${t("stamp", { time: formatStamp(answer.savedAt) })}. ${t("results.stale_note")}`;
  }
}

async function search(place) {
  const emergency = state.emergency;
  const ticket = ++state.search;
  state.place = place;
  state.answer = null;
  showPlace(place);
  byId("results-retry").hidden = true;
  byId("results").replaceChildren();
  byId("results-stale").hidden = true;
  byId("results-status").textContent = t("results.loading");
  byId("results").setAttribute("aria-busy", "true");
  const params = { emergency: emergency.slug, ...searchParams(place), available: "any", limit: RESULT_LIMIT };
  try {
    const data = await getJSON("/api/v1/search", params);
    if (ticket !== state.search) return; // a newer search has started
    if (["text", "postcode"].includes(place.kind) && data.location?.label) place.label = data.location.label;
    showPlace(place);
    const kept = rememberedPlace();
    if (kept && placeKey(kept) === placeKey(place)) rememberPlace(place, true); // with its full label
    saveResults(emergency.slug, place, data);
    state.answer = { data, savedAt: null };
    renderAnswer();
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
      renderAnswer();
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

function showEmergency(emergency) {
  state.emergency = emergency;
  state.answer = null;
  state.search += 1;
  byId("em-icon").setAttribute("href", `#i-${emergency.icon}`);
  byId("em-label").textContent = pick(emergency, "label");
  byId("results").replaceChildren();
  byId("results-status").textContent = "";
  byId("results-stale").hidden = true;
  byId("results-retry").hidden = true;
  renderSafety(emergency);
  if (emergency.safety?.level === "advice_only") return;
  picker = createPicker(byId("picker-search"), {
    id: "search",
    onPlace: (place, { remember }) => {
      rememberPlace(place, remember);
      search(place);
    },
  });
  const known = rememberedPlace() || homePlace();
  if (known) search(known);
  else showPlace(null);
}

/* ---------- routing ---------- */

function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ""));
  const [section, slug] = hash.split("/");
  const emergency = section === "notfall" && state.emergencies.find((e) => e.slug === slug);
  let view = "home";
  if (emergency) view = "emergency";
  else if (section === "notfallkarte") view = "card";
  for (const name of ["home", "emergency", "card"]) show(byId(`view-${name}`), name === view);
  const previous = state.view;
  state.view = view;
  if (view === "emergency") showEmergency(emergency);
  if (view === "card") renderCard();
  const heading = { home: "home-heading", emergency: "em-heading", card: "card-heading" }[view];
  if (previous !== null) {
    byId(heading).focus(); // move the screen reader to the new view, not on first load
    window.scrollTo(0, 0);
  }
  document.title = `${view === "emergency" ? `${pick(emergency, "label")} – ` : ""}${t("app.title")}`;
}

/* ---------- language, offline state, device data ---------- */

async function switchLanguage() {
  const next = lang() === "de" ? "en" : "de";
  await setLanguage(next);
  prefs.set("lang", next);
  renderTiles();
  if (state.view === "emergency") {
    byId("em-label").textContent = pick(state.emergency, "label");
    renderSafety(state.emergency);
    picker?.retranslate();
    if (state.place) showPlace(state.place);
    renderAnswer();
  }
  renderCard();
  document.title = t("app.title");
  byId("lang-switch").focus();
}

function watchConnection() {
  const update = () => show(byId("offline-banner"), !navigator.onLine);
  window.addEventListener("online", () => {
    update();
    refreshCardIfStale();
  });
  window.addEventListener("offline", update);
  update();
}

function wireControls() {
  byId("lang-switch").addEventListener("click", switchLanguage);
  byId("only-now").addEventListener("change", renderAnswer);
  byId("results-retry").addEventListener("click", () => state.place && search(state.place));
  byId("place-change").addEventListener("click", () => {
    byId("place-current").hidden = true;
    byId("picker-search").hidden = false;
    picker.focus();
  });
  byId("clear-data").addEventListener("click", () => {
    if (!window.confirm(t("footer.clear_confirm"))) return;
    clearAll();
    byId(state.view === "card" ? "card-status" : "home-status").textContent = t("footer.cleared");
    renderCard();
  });
  byId("home-retry").addEventListener("click", async () => {
    if (await startReference()) {
      renderTiles();
      route();
    }
  });
}

/* ---------- service worker: offline shell and updates without a stale mix ---------- */

function registerServiceWorker() {
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

async function boot() {
  try {
    await setLanguage(preferredLanguage());
  } catch {
    /* the German text in the page stays */
  }
  wireControls();
  watchConnection();
  initCallFollowUp({
    dialog: byId("call-dialog"),
    onAnswer: (reached, pending) => {
      const status = byId(state.view === "emergency" ? "results-status" : "home-status");
      status.textContent = reached ? t("call.thanks") : t("call.try_next");
      if (!reached) {
        const links = [...document.querySelectorAll(".btn-call")].filter((a) => a.offsetParent);
        const index = links.findIndex((a) => a.dataset.businessId === String(pending.businessId));
        links[index + 1]?.focus();
      }
    },
  });
  registerServiceWorker();
  window.addEventListener("hashchange", route);
  if (await startReference()) {
    renderTiles();
    route();
    refreshCardIfStale();
  }
  document.documentElement.dataset.ready = "true";
}

boot();
