/**
 * Everything the app keeps on this device, and nothing of it leaves the device.
 * localStorage holds what the resident chose to keep (language, a remembered place,
 * the Notfallkarte); without that consent, search results live only for this tab
 * (sessionStorage).
 */

const PREFIX = "schnellruf:";
const MAX_RESULT_SETS = 24;

function area(kind) {
  try {
    return kind === "session" ? window.sessionStorage : window.localStorage;
  } catch {
    return null; // storage disabled: the app still works, it only forgets
  }
}

function read(kind, key) {
  try {
    const raw = area(kind)?.getItem(PREFIX + key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function write(kind, key, value) {
  try {
    area(kind)?.setItem(PREFIX + key, JSON.stringify(value));
    return true;
  } catch {
    return false; // quota exceeded or storage disabled
  }
}

function remove(kind, key) {
  try {
    area(kind)?.removeItem(PREFIX + key);
  } catch {
    /* nothing stored, nothing to remove */
  }
}

const keeper = (kind) => ({
  get: (key) => read(kind, key),
  set: (key, value) => write(kind, key, value),
  remove: (key) => remove(kind, key),
});

/** What the resident chose to keep on this device (localStorage). */
export const prefs = keeper("local");

/** What lives only as long as this tab (sessionStorage). */
export const session = keeper("session");

/** Whether `place` carries coordinates (a position, a suggestion, a saved home). */
export const hasPosition = (place) => place.lat !== undefined && place.lon !== undefined && place.lat !== null;

/** A stable key for a place: postcode, rounded coordinates or the typed name. */
export function placeKey(place) {
  if (place.kind === "postcode" && place.postcode) return `plz:${place.postcode}`;
  if (hasPosition(place)) return `geo:${Number(place.lat).toFixed(3)},${Number(place.lon).toFixed(3)}`;
  return `q:${String(place.label).trim().toLowerCase()}`;
}

// The town a link preselected (`/?stadt=`): kept in memory for this visit only.
let town = null;

/** The preselected town, until the resident chooses another place. */
export const townPlace = () => town;

/** Preselect `place` (null: forget the preselection). */
export function setTownPlace(place) {
  town = place;
}

/** The last place, if the resident agreed to keep it. */
export function rememberedPlace() {
  return prefs.get("remember") ? prefs.get("lastPlace") : null;
}

/** Keep `place` for next time only with consent; without it, forget any earlier one. */
export function rememberPlace(place, allowed) {
  if (!allowed) {
    prefs.remove("remember");
    prefs.remove("lastPlace");
    return;
  }
  const kept = { ...place };
  if (kept.kind === "coordinates") {
    // About 100 m is enough to find the nearest businesses again.
    kept.lat = Math.round(kept.lat * 1000) / 1000;
    kept.lon = Math.round(kept.lon * 1000) / 1000;
  }
  prefs.set("remember", true);
  prefs.set("lastPlace", kept);
}

export const homePlace = () => prefs.get("home");
export const cardData = () => prefs.get("card");

export function isHome(place) {
  const home = homePlace();
  return Boolean(home) && placeKey(home) === placeKey(place);
}

/** Keep the last answer for a category and place, with the time it was fetched. */
export function saveResults(category, place, data) {
  const kind = prefs.get("remember") || isHome(place) ? "local" : "session";
  const sets = read(kind, "results") || {};
  sets[`${category}|${placeKey(place)}`] = { savedAt: Date.now(), data };
  const newest = Object.entries(sets)
    .sort((a, b) => b[1].savedAt - a[1].savedAt)
    .slice(0, MAX_RESULT_SETS);
  write(kind, "results", Object.fromEntries(newest));
}

/** The newest stored answer for a category and place ({savedAt, data}) or null. */
export function loadResults(category, place) {
  const key = `${category}|${placeKey(place)}`;
  const found = [read("local", "results")?.[key], read("session", "results")?.[key]];
  const card = cardData();
  if (card?.lists?.[category] && isHome(place)) {
    found.push({ savedAt: card.savedAt, data: card.lists[category] });
  }
  return found.filter(Boolean).sort((a, b) => b.savedAt - a.savedAt)[0] || null;
}

/** Forget everything this app stored on the device. */
export function clearAll() {
  for (const kind of ["local", "session"]) {
    const storage = area(kind);
    if (!storage) continue;
    for (const key of Object.keys(storage)) {
      if (key.startsWith(PREFIX)) storage.removeItem(key);
    }
  }
}
