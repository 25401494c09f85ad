/* The school terminal's service worker (scope /terminale): the screen keeps working when the
 * school's network drops.
 *
 * - Screens (navigations): from the network, kept in the cache "terminale-pagine" as they come;
 *   without network (or after a few seconds without an answer), from that cache, else the page
 *   "Senza rete". A redirect (to the pairing page) is never kept.
 * - Assets under /terminale/static: the same, in "terminale-risorse", which installing fills
 *   with what every screen needs.
 * - Nothing else is touched: the changes the screen posts are queued and replayed by the page's
 *   own script (terminale.js), never by the worker.
 */
'use strict';

const ROOT = '/terminale';
const PAGES = 'terminale-pagine';
const ASSETS = 'terminale-risorse';
const OFFLINE = ROOT + '/offline';
const PATIENCE_MS = 4000;
const FONTS = ROOT + '/static/bootstrap-italia/fonts/';
const SHELL = [
  OFFLINE,
  ROOT + '/static/bootstrap-italia/css/bootstrap-italia.min.css',
  ROOT + '/static/bootstrap-italia/js/bootstrap-italia.bundle.min.js',
  ROOT + '/static/bootstrap-italia/svg/sprites.svg',
  ROOT + '/static/htmx/htmx.min.js',
  ROOT + '/static/refettorio/fonts.css',
  ROOT + '/static/refettorio/refettorio.css',
  ROOT + '/static/terminale/terminale.css',
  ROOT + '/static/terminale/terminale.js',
  FONTS + 'Titillium_Web/titillium-web-v10-latin-ext_latin-300.woff2',
  FONTS + 'Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2',
  FONTS + 'Titillium_Web/titillium-web-v10-latin-ext_latin-600.woff2',
  FONTS + 'Titillium_Web/titillium-web-v10-latin-ext_latin-700.woff2',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(ASSETS).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith(ROOT)) {
    // The pairing page is never kept: it is the way back in, and only useful online.
    event.respondWith(networkFirst(request, url.pathname.startsWith(ROOT + '/abbina') ? null : PAGES));
  } else if (url.pathname.startsWith(ROOT + '/static/')) {
    event.respondWith(networkFirst(request, ASSETS));
  }
});

async function networkFirst(request, name) {
  const cache = name ? await caches.open(name) : null;
  try {
    const response = await withPatience(fetch(request));
    if (cache && response.ok && response.type === 'basic' && !response.redirected) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const kept = cache ? await cache.match(request, { ignoreVary: true }) : null;
    if (kept) return kept;
    if (request.mode === 'navigate') {
      const offline = await caches.match(OFFLINE);
      if (offline) return offline;
    }
    return Response.error();
  }
}

function withPatience(answer) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer')), PATIENCE_MS);
    answer.then(
      (response) => { clearTimeout(timer); resolve(response); },
      (error) => { clearTimeout(timer); reject(error); },
    );
  });
}
