// First load of three routes in Debian's Chromium, measured through the Chrome
// DevTools Protocol (a benchmark that prints numbers, not a test):
//  1. bytes on the wire with an empty cache, by resource type as the browser
//     counts them (Network.loadingFinished encodedDataLength: headers and
//     compressed body), the app's files apart from the API's JSON;
//  2. time until the page is usable, on a throttled network (1.6 Mbps down,
//     750 kbps up, 150 ms RTT) and a 4× slower CPU;
//  3. for the street route, the same time offline, from the service worker.
// "Usable" is concrete per route: the page's main heading is shown and its
// primary control is shown and enabled (see ROUTES). It is recorded in the
// page by a MutationObserver, so polling from here does not slow the page.
//
// Driven by scripts/bench.sh, which starts a fresh server with the demo data:
//   BASE_URL=http://127.0.0.1:18290 node bench/first-load.js [runs]
// Nothing here names the bundle's files: requests are classed by type.
const { chromium } = require('@playwright/test');

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:18290';
const RUNS = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 3);
const PASSWORD = 'Gongzhi@2026';
const KBIT = 1000 / 8; // bytes per second in one kbit/s
const SLOW = { offline: false, latency: 150, downloadThroughput: 1600 * KBIT, uploadThroughput: 750 * KBIT };
const CPU_SLOWDOWN = 4;

const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  tablet: { width: 1024, height: 768 },
  desktop: { width: 1440, height: 900 },
};

// Each route: who opens it, on what, and what "usable" means there.
const ROUTES = [
  {
    name: 'grid walk',
    who: 'gridmember',
    viewport: 'tablet',
    path: async (request) => {
      const grids = await (await request.get(`${BASE}/api/grids`)).json();
      return `/grid/${grids.find((g) => g.name === '幸福社区第一网格').id}`;
    },
    usable: 'h1 “幸福社区第一网格”, the map, the first row of the due list enabled',
    ready: { heading: '幸福社区第一网格', controls: ['[data-testid="grid-map"]', '[data-testid="due-list"] button'] },
    offline: true,
  },
  {
    name: "reviewer's queue",
    who: 'reviewer',
    viewport: 'desktop',
    path: async () => '/admission',
    usable: 'h1 “准入审批工作台”, the first file link in the queue',
    ready: { heading: '准入审批工作台', controls: ['[data-testid="admission-queue"] tbody a'] },
  },
  {
    name: 'home (resident)',
    who: 'resident',
    viewport: 'phone',
    path: async () => '/',
    usable: 'h1, the first of “my work” links',
    ready: { heading: '', controls: ['[data-testid="my-work"] a'] },
  },
];

// Runs in the page from its first script on: records when the heading and
// every control are visible and enabled (ms since navigation start).
function watchUsable(ready) {
  const shown = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const check = () => {
    if (window.__usableAt !== undefined) return;
    const h1 = Array.from(document.querySelectorAll('#main h1')).find((h) => shown(h) && h.textContent.includes(ready.heading));
    if (!h1) return;
    for (const sel of ready.controls) {
      const el = document.querySelector(sel);
      if (!shown(el) || el.disabled || el.getAttribute('aria-disabled') === 'true') return;
    }
    window.__usableAt = performance.now();
    observer.disconnect();
  };
  const observer = new MutationObserver(check);
  const start = () => {
    observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true, characterData: true });
    check();
  };
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
}

/** Classes a finished request: html, js, wasm, css, api (JSON), other. */
function kind(response, type) {
  const url = new URL(response.url);
  const mime = (response.mimeType ?? '').toLowerCase();
  if (url.pathname.startsWith('/api/')) return 'api';
  if (type === 'Document' || mime === 'text/html') return 'html';
  if (mime === 'application/wasm') return 'wasm';
  if (type === 'Script' || mime.includes('javascript')) return 'js';
  if (type === 'Stylesheet' || mime === 'text/css') return 'css';
  return 'other';
}

/** Counts the bytes of every request of the page until stopped. */
async function meter(cdp) {
  const seen = new Map();
  const bytes = { html: 0, js: 0, wasm: 0, css: 0, other: 0, api: 0 };
  const requests = { html: 0, js: 0, wasm: 0, css: 0, other: 0, api: 0 };
  const served = { worker: 0, network: 0 };
  cdp.on('Network.responseReceived', (e) => {
    seen.set(e.requestId, kind(e.response, e.type));
    served[e.response.fromServiceWorker ? 'worker' : 'network'] += 1;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const k = seen.get(e.requestId);
    if (!k) return;
    bytes[k] += e.encodedDataLength;
    requests[k] += 1;
  });
  await cdp.send('Network.enable');
  return { bytes, requests, served };
}

async function throttle(cdp, network) {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', network);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
}

async function usableAt(page, timeout = 120_000) {
  try {
    await page.waitForFunction(() => window.__usableAt !== undefined, null, { timeout, polling: 250 });
  } catch (e) {
    const state = await page.evaluate(() => ({
      url: location.href,
      h1: Array.from(document.querySelectorAll('h1')).map((h) => h.textContent),
      main: document.querySelector('#main')?.textContent?.slice(0, 200),
    })).catch(() => 'no page');
    throw new Error(`never usable: ${JSON.stringify(state)}: ${e.message}`);
  }
  return page.evaluate(() => window.__usableAt);
}

async function once(browser, route) {
  const context = await browser.newContext({
    viewport: VIEWPORTS[route.viewport],
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    // The walk asks for the position; a fixed one inside the grid.
    geolocation: { longitude: 116.601, latitude: 28.2405 },
    permissions: ['geolocation'],
  });
  try {
    // Signed in before the first visit (the sign-in page is not measured).
    const login = await context.request.post(`${BASE}/api/auth/login`, { data: { username: route.who, password: PASSWORD } });
    if (!login.ok()) throw new Error(`${route.who} cannot sign in: ${login.status()}`);
    const path = await route.path(context.request);
    const page = await context.newPage();
    await page.addInitScript(watchUsable, route.ready);
    const cdp = await context.newCDPSession(page);
    const counted = await meter(cdp);
    await throttle(cdp, SLOW);
    await page.goto(`${BASE}${path}`, { waitUntil: 'commit' });
    const usable = await usableAt(page);
    // Let the requests the page makes once usable finish (API, fonts).
    await page.waitForLoadState('networkidle');
    const result = { path, usable, bytes: { ...counted.bytes }, requests: { ...counted.requests } };

    if (route.offline) {
      // The service worker has the shell once it is active and controls the page.
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
        await page.reload();
        await usableAt(page);
      }
      await page.waitForLoadState('networkidle');
      await context.setOffline(true);
      await throttle(cdp, { ...SLOW, offline: true });
      counted.served.worker = 0;
      counted.served.network = 0;
      await page.reload({ waitUntil: 'commit' });
      result.offline = await usableAt(page, 60_000);
      result.offlineServed = { ...counted.served };
    }
    return result;
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = (b) => (b / 1024).toFixed(1);
const sec = (ms) => (ms === undefined ? '–' : (ms / 1000).toFixed(2));

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  });
  const rows = [];
  try {
    for (const route of ROUTES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await once(browser, route));
      rows.push({ route, runs });
    }
  } finally {
    await browser.close();
  }

  console.log(`First visit, empty cache; ${RUNS} run(s) each, median. Network 1.6 Mbps down / 750 kbps up / 150 ms RTT, CPU ${CPU_SLOWDOWN}× slower.`);
  console.log('KB = 1024 bytes on the wire (headers + body as sent). "app" = html + js + wasm + css + other.');
  const head = ['route', 'viewport', 'account', 'html', 'js', 'wasm', 'css', 'other', 'app KB', 'API KB', 'usable s', 'offline s'];
  const table = rows.map(({ route, runs }) => {
    const b = runs[0].bytes; // bytes do not vary between runs; the first run's
    const app = b.html + b.js + b.wasm + b.css + b.other;
    return [
      `${route.name} ${runs[0].path}`, route.viewport, route.who,
      kb(b.html), kb(b.js), kb(b.wasm), kb(b.css), kb(b.other), kb(app), kb(b.api),
      sec(median(runs.map((r) => r.usable))),
      route.offline ? sec(median(runs.map((r) => r.offline))) : '–',
    ];
  });
  const width = head.map((h, i) => Math.max(h.length, ...table.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i < 3 ? String(c).padEnd(width[i]) : String(c).padStart(width[i]))).join('  ');
  console.log(line(head));
  for (const r of table) console.log(line(r));
  console.log('\nusable = the moment the page showed, in ms after navigation start:');
  for (const { route, runs } of rows) {
    console.log(`  ${route.name}: ${route.usable}; runs ${runs.map((r) => sec(r.usable)).join(' / ')} s` +
      (route.offline
        ? `; offline ${runs.map((r) => sec(r.offline)).join(' / ')} s ` +
          `(responses from the service worker / network: ${runs.map((r) => `${r.offlineServed.worker}/${r.offlineServed.network}`).join(', ')})`
        : ''));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
