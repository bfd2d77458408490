/** UI strings (one JSON file per language in i18n/) and formatting for Germany. */

import { prefs } from "./store.js?v=__BUILD__";

export const LANGUAGES = ["de", "en"];
const LOCALES = { de: "de-DE", en: "en-GB" };
const TIME_ZONE = "Europe/Berlin"; // availability is always judged in German time
const BUILD = document.documentElement.dataset.build;
const DAY_MS = 86400000;

let current = "de";
let strings = {};

/** The language shown now ("de" or "en"). */
export const lang = () => current;

/** ?lang=, then the resident's choice, then the browser's languages; German otherwise. */
export function preferredLanguage() {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (LANGUAGES.includes(fromUrl)) return fromUrl;
  const saved = prefs.get("lang");
  if (LANGUAGES.includes(saved)) return saved;
  for (const tag of navigator.languages || [navigator.language || ""]) {
    const base = String(tag).toLowerCase().slice(0, 2);
    if (LANGUAGES.includes(base)) return base;
  }
  return "de";
}

/** Load the strings of `code` and translate the page. */
export async function setLanguage(code) {
  const response = await fetch(`/i18n/${code}.json?v=${BUILD}`);
  if (!response.ok) throw new Error(`UI strings for ${code}: HTTP ${response.status}`);
  strings = await response.json();
  current = code;
  document.documentElement.lang = code;
  translate(document);
}

/** The string for `key`, with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
}

/** Fill `data-i18n` (text) and `data-i18n-attr` ("attr:key;attr:key") below `root`. */
export function translate(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":").map((s) => s.trim());
      el.setAttribute(attr, t(key));
    }
  }
}

/** Pick the German or English text of an API object (`label_de`/`label_en`). */
export function pick(obj, field) {
  return obj[`${field}_${current}`] || obj[`${field}_de`] || "";
}

function format(date, options) {
  return new Intl.DateTimeFormat(LOCALES[current], { timeZone: TIME_ZONE, ...options }).format(date);
}

const dayOf = (date) => new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE }).format(date);
const time = (date) => format(date, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const weekday = (date) => format(date, { weekday: "short" }).replace(/\.$/, "");
const shortDate = (date) => format(date, { day: "numeric", month: "numeric" });

/** "22:00" today, "Mo 07:00" within a week, "12.3. 07:00" later. */
export function formatWhen(value, now = new Date()) {
  const date = new Date(value);
  if (dayOf(date) === dayOf(now)) return time(date);
  if (Math.abs(date - now) < 6 * DAY_MS) return `${weekday(date)} ${time(date)}`;
  return `${shortDate(date)} ${time(date)}`;
}

/** "Sa 14:32" for a stored list (weekday even today, so "Stand" is unambiguous). */
export function formatStamp(value, now = new Date()) {
  const date = new Date(value);
  if (Math.abs(now - date) < 6 * DAY_MS) return `${weekday(date)} ${time(date)}`;
  return `${shortDate(date)} ${time(date)}`;
}

export function formatDate(value) {
  return format(new Date(value), { day: "numeric", month: "short", year: "numeric" });
}

export function formatDistance(km) {
  const digits = km < 10 ? 1 : 0;
  const number = new Intl.NumberFormat(LOCALES[current], { maximumFractionDigits: digits });
  return `${number.format(km)} km`;
}

export function formatPrice(eur) {
  return new Intl.NumberFormat(LOCALES[current], {
    style: "currency",
    currency: "EUR",
    minimumFractionDigits: Number.isInteger(eur) ? 0 : 2,
  }).format(eur);
}
