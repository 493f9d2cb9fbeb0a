// The counter's service worker (issue 7): keeps the verification page, its scripts and styles
// on the device, so the page also opens, verifies and queues redemptions after a reload with no
// network. Network first, the cached copy only when the network fails: online, the provider
// always gets the current page. The signed lists are not kept here: the page keeps them itself
// (localStorage) with the time it fetched them, which a cached answer would make look fresh.
"use strict";
const CONFIG = {{ config|safe }};

function cacheable(request) {
  if (request.method !== "GET") return false;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return false;
  return url.pathname === CONFIG.page || url.pathname.startsWith(CONFIG.static);
}

// The page is kept under its path whatever the query; everything else under its full URL.
function keyOf(request) {
  const url = new URL(request.url);
  return url.pathname === CONFIG.page ? new Request(url.origin + CONFIG.page) : request;
}

async function networkFirst(request) {
  const cache = await caches.open(CONFIG.cache);
  const key = keyOf(request);
  try {
    const response = await fetch(request);
    // A redirect (the session ended: the login page) or an error page is never kept.
    if (response.ok && !response.redirected && response.type === "basic") {
      await cache.put(key, response.clone());
    }
    return response;
  } catch (exc) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw exc;
  }
}

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CONFIG.prefix) && name !== CONFIG.cache) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  if (cacheable(event.request)) event.respondWith(networkFirst(event.request));
});
