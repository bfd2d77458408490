/** The JSON API under /api/v1: searches, places and the anonymous call events. */

import { hasPosition } from "./store.js?v=__BUILD__";

/** An HTTP error (status 0: no connection) with the RFC 9457 problem body, if any. */
export class ApiError extends Error {
  constructor(status, problem = null) {
    super(problem?.detail || (status ? `HTTP ${status}` : "network error"));
    this.status = status;
    this.problem = problem;
  }
}

/** GET `path` with query `params`; rejects with ApiError, or AbortError when aborted. */
export async function getJSON(path, params = {}, { signal, timeout = 15000 } = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  signal?.addEventListener("abort", () => controller.abort());
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, signal: controller.signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0); // offline, or no answer in time
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      /* not a problem document */
    }
    throw new ApiError(response.status, problem);
  }
  return response.json();
}

/** Query parameters that locate `place` for GET /api/v1/search. */
export function searchParams(place) {
  if (place.kind === "postcode" && place.postcode) return { postcode: place.postcode };
  if (hasPosition(place)) return { lat: place.lat, lon: place.lon };
  if (/^\d{5}$/.test(place.label)) return { postcode: place.label };
  return { place: place.label };
}

/** Businesses for `emergency` near `place`, open now or later, at most `limit`.
 * `channel=app` only sorts the anonymous count of searches that found nobody. */
export function searchNear(emergency, place, limit) {
  const params = { emergency: emergency.slug, ...searchParams(place), available: "any", limit, channel: "app" };
  return getJSON("/api/v1/search", params);
}

/** The town a link names (`/?stadt=<slug>`, the printed notice's QR code) as a place at its
 * centre, or null without one; rejects with ApiError when it cannot be loaded. */
export async function townFromLink(query = location.search) {
  const slug = new URLSearchParams(query).get("stadt");
  if (!slug) return null;
  const city = await getJSON(`/api/v1/cities/${encodeURIComponent(slug)}`);
  return { kind: "town", label: city.name, lat: city.lat, lon: city.lon };
}

/** A random UUID (crypto.randomUUID needs a secure context; LAN tests may lack one). */
export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Record a tap on "Anrufen" without delaying the call: a beacon is queued, never awaited. */
export function sendCallEvent(event) {
  const body = JSON.stringify(event);
  const blob = new Blob([body], { type: "application/json" });
  if (navigator.sendBeacon?.("/api/v1/calls", blob)) return;
  fetch("/api/v1/calls", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body,
    keepalive: true,
  }).catch(() => {});
}

/** Send the answer to "Haben Sie jemanden erreicht?" (anonymous, linked only by the call id). */
export function sendOutcome(id, reached) {
  return fetch(`/api/v1/calls/${encodeURIComponent(id)}/outcome`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ reached }),
    keepalive: true,
  }).then((response) => response.ok, () => false);
}
