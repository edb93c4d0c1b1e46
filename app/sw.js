// 共治 tablet service worker: keeps the app shell (the tablet bundle's
// files) so the street pages open with no network after the first visit.
// Data is not cached here: the app keeps its own copies and its outbox in
// localStorage. Written into dist/ by scripts/build-app.sh, which fills in
// the version and the file list.
const VERSION = '__VERSION__';
const SHELL = 'gongzhi-shell-' + VERSION;
const ASSETS = __ASSETS__;
// Pages the tablet bundle serves, and the pages it may need offline.
const FIELD = __FIELD_PATHS__.concat(['/login', '/password']);
const INDEX = '/field/index.html';

const isField = (path) => FIELD.some((p) => path === p || path.startsWith(p + '/'));

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('gongzhi-shell-') && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    if (!isField(url.pathname)) return;
    // Network first, so an online tablet always gets the newest app.
    event.respondWith(fetch(request).catch(() => caches.match(INDEX).then((r) => r || Response.error())));
    return;
  }
  if (url.pathname.startsWith('/field/')) {
    // Fingerprinted files never change under one name: the cache first.
    event.respondWith(caches.match(request).then((r) => r || fetch(request)));
  }
});
