/**
 * Reference data: the emergency categories and the trades, from the API or, offline,
 * from the copy kept on the device at the last visit.
 */

import { getJSON } from "./api.js?v=__BUILD__";
import { pick } from "./i18n.js?v=__BUILD__";
import { prefs } from "./store.js?v=__BUILD__";

let emergencies = [];
let trades = {};

/** Load both lists; false when neither the network nor the device has them. */
export async function loadReference() {
  let reference;
  try {
    const [e, t] = await Promise.all([getJSON("/api/v1/emergencies"), getJSON("/api/v1/trades")]);
    reference = { emergencies: e, trades: t };
    prefs.set("reference", reference);
  } catch {
    reference = prefs.get("reference"); // offline: the copy from the last visit
  }
  if (!reference) return false;
  emergencies = reference.emergencies;
  trades = Object.fromEntries(reference.trades.map((trade) => [trade.slug, trade]));
  return true;
}

/** Every emergency category, in the API's order. */
export const allEmergencies = () => emergencies;

/** The category with this slug, or undefined. */
export const emergencyBySlug = (slug) => emergencies.find((e) => e.slug === slug);

/** A category of safety advice alone (Gasgeruch): no business is named for it. */
export const adviceOnly = (emergency) => emergency.safety?.level === "advice_only";

/** Categories that list businesses. */
export const searchable = () => emergencies.filter((e) => !adviceOnly(e));

/** The trade's name in the current language (its slug if unknown). */
export const tradeName = (slug) => (trades[slug] ? pick(trades[slug], "name") : slug);
