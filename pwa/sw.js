/*
 * Service worker of Handwerker-Schnellruf.
 * VERSION is a hash of every shell file, filled in by the server: a new build changes
 * these bytes, so the browser installs a new worker with a new cache, and every shell
 * URL carries the same version, so old and new files can never be mixed.
 * API responses (/api/) are never cached here: the app keeps the last results itself,
 * with their time stamp.
 */
const VERSION = "__BUILD__";
const CACHE = `schnellruf-${VERSION}`;
const SHELL = [
  "/",
  "/offline.html",
  "/manifest.webmanifest",
  "/style.css?v=__BUILD__",
  "/app.js?v=__BUILD__",
  "/lib/api.js?v=__BUILD__",
  "/lib/dom.js?v=__BUILD__",
  "/lib/i18n.js?v=__BUILD__",
  "/lib/reference.js?v=__BUILD__",
  "/lib/router.js?v=__BUILD__",
  "/lib/store.js?v=__BUILD__",
  "/components/call-follow-up.js?v=__BUILD__",
  "/components/callback.js?v=__BUILD__",
  "/components/card-lists.js?v=__BUILD__",
  "/components/frame.js?v=__BUILD__",
  "/components/picker.js?v=__BUILD__",
  "/components/place-suggestions.js?v=__BUILD__",
  "/components/result-list.js?v=__BUILD__",
  "/components/result.js?v=__BUILD__",
  "/views/card.js?v=__BUILD__",
  "/views/emergency.js?v=__BUILD__",
  "/views/home.js?v=__BUILD__",
  "/i18n/de.json?v=__BUILD__",
  "/i18n/en.json?v=__BUILD__",
  "/icons/icon.svg?v=__BUILD__",
  "/icons/icon-192.png?v=__BUILD__",
];
const NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(SHELL);
      // A deploy between fetching this worker and its shell would mix two builds: refuse.
      const shell = await (await cache.match("/")).text();
      if (!shell.includes(`data-build="${VERSION}"`)) throw new Error("shell of another build");
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

// The page asks for this when the resident accepts an update.
self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
});

/** Network first for pages, but after a few seconds of weak signal the cached copy. */
async function navigate(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  const cached = await cache.match(url.pathname === "/" ? "/" : request, { ignoreSearch: true });
  const network = fetch(request);
  if (!cached) {
    try {
      return await network;
    } catch {
      return (await cache.match("/offline.html")) || Response.error();
    }
  }
  const timeout = new Promise((resolve) => setTimeout(() => resolve(cached), NETWORK_TIMEOUT_MS));
  return Promise.race([network.catch(() => cached), timeout]);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)),
  );
});
