// Shared by the end-to-end tests and the demo: Chromium with the unpacked dist/ loaded, the
// stand-in reached under real host names, and helpers that read the badge through CDP (the
// page itself cannot: the shadow root is closed).
import { chromium } from 'playwright-core';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The built extension under test: dist/, or CC_DIST (a build made with CC_OUT=... ./build.sh).
export const dist = process.env.CC_DIST ? resolve(process.env.CC_DIST) : join(root, 'dist');
// Where cargo put the native binaries (cc-health, cc-reference-server): CARGO_TARGET_DIR or
// target/.
export const nativeBin = (name) => join(process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, 'target'), 'debug', name);

/** The date the fixture pages were written for (`TODAY` in tests/fixtures/generate.py). The
 *  browser tests run with every clock at this date (tests/tools/fixed-clock.sh): the fixtures'
 *  close dates are fixed, so "today" must be too, in node, Chromium and the reference server. */
export const FIXTURE_TODAY = readFileSync(join(root, 'tests', 'fixtures', 'generate.py'), 'utf8')
  .match(/^TODAY = "(\d{4}-\d{2}-\d{2})"$/m)[1];

/** Refuses to run at any other date: a test passing today and failing next month is worse
 *  than one that will not start. */
export function assertFixedClock() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  const local = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  if (local !== FIXTURE_TODAY) {
    throw new Error(`the clock says ${local}, the fixtures were written for ${FIXTURE_TODAY}: `
      + 'run the browser tests through tests/tools/fixed-clock.sh (tests/run-all.sh does)');
  }
}

/** Hosts whose lookups Chromium makes on its own; never the extension's. */
export const CHROMIUM_OWN_HOSTS = /(^|\.)(google\.com|googleapis\.com|gstatic\.com|gvt1\.com)$/;

export function chromiumArgs({ port, apiPort = port, extensions = [] }) {
  const rules = [
    `MAP *.force.com 127.0.0.1:${port}`,
    `MAP *.salesforce.com 127.0.0.1:${port}`,
    `MAP app.customercity.com 127.0.0.1:${apiPort}`,
    `MAP api.customercity.com 127.0.0.1:${apiPort}`,
    `MAP *.customercity.com 127.0.0.1:${apiPort}`, // a regional deployment (policy.test.mjs)
    'MAP * ~NOTFOUND',
  ].join(', ');
  const args = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    `--host-resolver-rules=${rules}`,
    // The stand-ins' certificates are self-signed; this also covers the worker's fetch.
    '--ignore-certificate-errors',
  ];
  if (extensions.length) args.push(`--disable-extensions-except=${extensions.join(',')}`, `--load-extension=${extensions.join(',')}`);
  return args;
}

/** The inside of a fixture page's <body>, for in-app navigation (the DOM swapped). */
export function fixtureBody(slug) {
  const html = readFileSync(join(root, 'tests', 'fixtures', slug, 'page.html'), 'utf8');
  const body = html.slice(html.indexOf('<body'), html.lastIndexOf('</body>'));
  return body.slice(body.indexOf('>') + 1);
}

/** `port`: the Salesforce stand-in; `apiPort`: the Customer City reference server (default:
 *  the stand-in too, which records any request that reaches it). */
/** Chromium's flags for the tests: the stand-in under real host names, no network of its own,
 *  and the given unpacked extensions (none: a browser without any). */
/** `anyDate`: only the demo, whose pages' dates follow the day it runs (tests never).
 *  `userDataDir`: a profile to start again (a browser restart); a new one by default.
 *  `waitForPolicy`: resolve only once Chromium has handed the extension its managed policy.
 *  After a start that takes seconds (docs/performance.md), and a fresh profile's first record
 *  page waits for it before its badge: the tests meet a browser that has been running, except
 *  the one about the first seconds (policy.test.mjs). */
export async function launch({ port, apiPort = port, headless = true, netLog, extensionPath = dist, lang, otherExtensions = [], anyDate = false, userDataDir = mkdtempSync(join(tmpdir(), 'cc-chromium-')), waitForPolicy = true } = {}) {
  if (!anyDate) assertFixedClock();
  const args = chromiumArgs({ port, apiPort, extensions: [extensionPath, ...otherExtensions] });
  if (lang) args.push(`--lang=${lang}`);
  if (netLog) args.push(`--log-net-log=${netLog}`, '--net-log-capture-mode=Default');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless,
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
    args,
  });
  const ours = (w) => w.url().endsWith('/background/worker.js');
  let worker = context.serviceWorkers().find(ours);
  if (!worker) worker = await context.waitForEvent('serviceworker', { predicate: ours, timeout: 15000 });
  const extensionId = new URL(worker.url()).host;
  if (waitForPolicy) await worker.evaluate(() => chrome.storage.managed.get(null).then(() => true, () => false));
  return { context, worker, extensionId };
}

/** The badge as the accessibility layer sees it, read through CDP with closed shadow roots
 *  pierced; null when there is no badge. `text` is what the badge shows, in order: its text
 *  nodes and the strings it draws as CSS generated content (`data-t` attributes, shown by
 *  `[data-t]::before { content: attr(data-t) }`, out of reach of the page's find and
 *  selection); `pieces` the same, one string per element. */
export async function readBadge(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root: document } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const hosts = [];
    const walk = (node) => {
      if (node.nodeName === 'CC-DEAL-HEALTH') hosts.push(node);
      for (const child of node.children || []) walk(child);
      for (const shadow of node.shadowRoots || []) walk(shadow);
      if (node.contentDocument) walk(node.contentDocument);
    };
    walk(document);
    if (hosts.length === 0) return null;
    if (hosts.length > 1) throw new Error(`${hosts.length} badges on the page`);
    const host = hosts[0];
    const shadow = (host.shadowRoots || [])[0];
    const find = (node, name) => {
      if (node.nodeName === name) return node;
      for (const child of node.children || []) {
        const found = find(child, name);
        if (found) return found;
      }
      return null;
    };
    const attributesOf = (node) => {
      const attributes = {};
      for (let i = 0; node && node.attributes && i < node.attributes.length; i += 2) attributes[node.attributes[i]] = node.attributes[i + 1];
      return attributes;
    };
    const button = shadow && find(shadow, 'BUTTON');
    const attributes = attributesOf(button);
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: host.backendNodeId });
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: 'function () { const r = this.getBoundingClientRect(); return JSON.stringify({x: r.x, y: r.y, w: r.width, h: r.height, visible: getComputedStyle(this).visibility}); }',
      returnByValue: true,
    });
    const texts = [];
    const collect = (node) => {
      if (node.nodeType === 3) texts.push(node.nodeValue);
      if (node.nodeType === 1 && 'data-t' in attributesOf(node)) texts.push(attributesOf(node)['data-t']);
      for (const child of node.children || []) if (child.nodeName !== 'STYLE') collect(child);
    };
    if (shadow) collect(shadow);
    return {
      shadowRootType: shadow ? shadow.shadowRootType : null,
      label: attributes['aria-label'] || null,
      className: attributes.class || '',
      text: texts.join(' ').replace(/\s+/g, ' ').trim(),
      pieces: texts.map((t) => t.trim()).filter(Boolean),
      rect: JSON.parse(result.value),
    };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

// The content script's evaluations (one `cc-evaluate` User Timing measure each), as the page
// sees them, counted in window.ccEvaluations.
function evaluationCounter() {
  window.ccEvaluations = 0;
  new PerformanceObserver((list) => {
    window.ccEvaluations += list.getEntries().filter((entry) => entry.name === 'cc-evaluate').length;
  }).observe({ type: 'measure' });
}

/** Counts the content script's evaluations on `page` in `window.ccEvaluations`: from its next
 *  navigation on, or with `now` on the document it shows. */
export function countEvaluations(page, { now = false } = {}) {
  return now ? page.evaluate(evaluationCounter) : page.addInitScript(evaluationCounter);
}

/** Every row badge in document order, read through CDP with closed shadow roots pierced: its
 *  pill's name, class and shown text, the elements inside it, the record its row names (from
 *  the anchor before it, else its row) and its box. */
export async function readRowBadges(target) {
  const cdp = await target.context().newCDPSession(target);
  try {
    const { root: document } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const hosts = [];
    const walk = (node) => {
      if (node.nodeName === 'CC-DEAL-HEALTH-ROW') hosts.push(node);
      for (const child of node.children || []) walk(child);
      for (const shadow of node.shadowRoots || []) walk(shadow);
    };
    walk(document);
    const attributesOf = (node) => {
      const attributes = {};
      for (let i = 0; node && node.attributes && i < node.attributes.length; i += 2) attributes[node.attributes[i]] = node.attributes[i + 1];
      return attributes;
    };
    const badges = [];
    for (const host of hosts) {
      const shadow = (host.shadowRoots || [])[0];
      const elements = [];
      const collect = (node) => {
        if (node.nodeType === 1) elements.push(node);
        for (const child of node.children || []) collect(child);
      };
      if (shadow) for (const child of shadow.children || []) collect(child);
      const pill = elements.find((node) => (attributesOf(node).class || '').split(' ').includes('pill'));
      const card = elements.find((node) => (attributesOf(node).class || '').split(' ').includes('card'));
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: host.backendNodeId });
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId,
        functionDeclaration: `function () {
          const id = /006[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?/;
          const named = (el) => ['href', 'data-recordid', 'data-row-key-value', 'data-record-id']
            .map((a) => el.getAttribute && el.getAttribute(a)).find((v) => v && id.test(v));
          let recordId = null;
          for (let el = this.previousElementSibling || this.parentElement; el && !recordId; el = el.parentElement) {
            const v = named(el);
            if (v) recordId = v.match(id)[0];
          }
          const r = this.getBoundingClientRect();
          return JSON.stringify({ recordId, rect: { x: r.x, y: r.y, w: r.width, h: r.height } });
        }`,
        returnByValue: true,
      });
      const { recordId, rect } = JSON.parse(result.value);
      let background = null;
      if (pill) {
        const { object: pillObject } = await cdp.send('DOM.resolveNode', { backendNodeId: pill.backendNodeId });
        const { result: colour } = await cdp.send('Runtime.callFunctionOn', {
          objectId: pillObject.objectId,
          functionDeclaration: 'function () { return getComputedStyle(this).backgroundColor; }',
          returnByValue: true,
        });
        background = colour.value;
      }
      badges.push({
        recordId,
        rect,
        background,
        shadowRootType: shadow ? shadow.shadowRootType : null,
        label: attributesOf(pill)['aria-label'] || null,
        className: attributesOf(pill).class || '',
        shows: attributesOf(pill)['data-t'] ?? null,
        reason: card ? attributesOf(card)['data-t'] ?? null : null,
        tags: elements.map((node) => node.nodeName),
        textNodes: elements.flatMap((node) => (node.children || []).filter((c) => c.nodeType === 3)).length,
      });
    }
    return badges;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** Waits until `predicate(badge)` holds, sampling every few milliseconds; returns every label
 *  seen on the way (so tests can prove a wrong one never appeared). */
export async function waitForBadge(page, predicate, { timeout = 5000 } = {}) {
  const seen = [];
  const start = Date.now();
  for (;;) {
    const badge = await readBadge(page);
    seen.push(badge ? badge.label : null);
    if (predicate(badge)) return { badge, seen, elapsed: Date.now() - start };
    if (Date.now() - start > timeout) {
      throw new Error(`badge condition not met in ${timeout} ms; last: ${JSON.stringify(badge)}; seen: ${JSON.stringify([...new Set(seen)])}`);
    }
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** The Id Chromium gives an extension loaded unpacked from `path` (no `key` in its manifest):
 *  the first 128 bits of the SHA-256 of its absolute path, in hex digits written `a` to `p`. */
export function unpackedExtensionId(path) {
  const absolute = existsSync(path) ? realpathSync(path) : resolve(path);
  const hex = createHash('sha256').update(absolute).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

/** Starts the Rust reference server (target/debug/cc-reference-server); resolves to
 *  {port, stop(), get(path)} where get() reads its admin endpoints. Its connect page hands
 *  sign-in codes only to the extensions loaded unpacked from `extensionPaths` (docs/api.md). */
export async function startReferenceServer({ extensionPaths = [dist] } = {}) {
  const { spawn } = await import('node:child_process');
  const https = await import('node:https');
  const args = extensionPaths.flatMap((path) => ['--extension-id', unpackedExtensionId(path)]);
  const child = spawn(nativeBin('cc-reference-server'), args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(buffer.slice(0, newline)).port);
    });
    child.on('exit', (code) => reject(new Error(`reference server exited (${code})`)));
  });
  const get = (path) => new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', port, path, servername: 'api.customercity.com', rejectUnauthorized: false, headers: { host: 'api.customercity.com' } }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
  const post = (path, body = '') => new Promise((resolve, reject) => {
    const request = https.request({ host: '127.0.0.1', port, path, method: 'POST', servername: 'api.customercity.com', rejectUnauthorized: false, headers: { host: 'api.customercity.com', 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('error', reject);
    request.end(body);
  });
  const clearFaults = () => new Promise((resolve, reject) => {
    https.request({ host: '127.0.0.1', port, path: '/__admin/faults', method: 'DELETE', servername: 'api.customercity.com', rejectUnauthorized: false, headers: { host: 'api.customercity.com' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    }).on('error', reject).end();
  });
  return { port, get, post, clearFaults, stop: () => child.kill() };
}

/** The user's click on the connect page's "Connect this extension" (docs/api.md, sign-in
 *  hand-off): the page names the extension; only then is a code issued and handed over. */
export async function confirmConnect(webApp) {
  await webApp.waitForSelector('#confirm');
  await Promise.all([webApp.waitForNavigation(), webApp.click('#confirm')]);
}

/** Signs in through the real flow: the side panel's button, the web app's connect page (and
 *  the user's confirmation), the hand-off to the worker. Resolves to the side panel page. */
export async function signIn({ context, extensionId }) {
  const panel = await context.newPage();
  await panel.goto(`chrome-extension://${extensionId}/sidepanel/index.html`);
  await panel.waitForSelector('#sign-in:not([hidden])');
  const connectPage = context.waitForEvent('page');
  await panel.click('#sign-in');
  const webApp = await connectPage;
  await confirmConnect(webApp);
  await webApp.waitForFunction(() => document.getElementById('status').textContent.startsWith('Connected'));
  await webApp.close();
  await panel.waitForSelector('#sign-out:not([hidden])');
  return panel;
}

/** Stops the extension's service worker the way Chrome does when it idles (through CDP, from an
 *  extension page), waits until it has stopped, then lets `wake(page)` start it again. Proves
 *  the restart: a marker left in the old worker's global scope is gone. */
export async function restartWorker(browser, wake) {
  const { context, extensionId, worker } = browser;
  await worker.evaluate(() => { globalThis.ccTestMarker = true; });
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/sidepanel/index.html`);
  const cdp = await context.newCDPSession(page);
  const stopped = new Promise((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (versions.some((v) => v.scriptURL.includes(extensionId) && v.runningStatus === 'stopped')) resolve();
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;
  await cdp.detach();
  await wake(page);
  // Playwright reattaches the same Worker object to the restarted worker.
  const fresh = await worker.evaluate(() => globalThis.ccTestMarker === undefined);
  if (!fresh) throw new Error('the service worker was not restarted');
  await page.close();
  return worker;
}

/** Moves every cache entry's time stamps `hours` into the past, as if the clock had advanced
 *  (negative: back towards now). */
export async function ageCache({ worker }, hours) {
  await worker.evaluate(async (ms) => {
    const { 'cc.cacheIndex': index } = await chrome.storage.local.get('cc.cacheIndex');
    for (const meta of Object.values(index.entries)) {
      meta.storedAt = new Date(Date.parse(meta.storedAt) - ms).toISOString();
      meta.lastUsed = new Date(Date.parse(meta.lastUsed) - ms).toISOString();
    }
    await chrome.storage.local.set({ 'cc.cacheIndex': index });
  }, hours * 3600 * 1000);
}

/** Polls `probe` until it returns a truthy value (or throws after `timeout` ms). */
export async function eventually(probe, { timeout = 5000, every = 50 } = {}) {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - start > timeout) throw new Error(`not met in ${timeout} ms`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** The side panel page opened in a tab of its own, as a rep opens the panel: it asks the worker
 *  for its view, which from then on in the browser session has every list page report its
 *  list (background/lists.js, listsWanted). With `tabId`, it also asks for that tab's view, as
 *  the panel does when it shows beside that tab. Resolves to the worker's answer for `tabId`
 *  (or null); the page is closed. */
export async function openPanelPage(browser, tabId = null) {
  const panel = await browser.context.newPage();
  try {
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel/index.html`);
    await eventually(() => browser.worker.evaluate(async () => {
      const found = await chrome.storage.session.get('cc.listsWanted');
      return found['cc.listsWanted'] === true;
    }));
    if (tabId === null) return null;
    return await panel.evaluate((id) => chrome.runtime.sendMessage({ type: 'getPanel', tabId: id }), tabId);
  } finally {
    await panel.close();
  }
}

/** The real side panel (not a tab, so not a Playwright page), driven over CDP: found with
 *  `Target.getTargets` and attached through a page's CDP session (messages relayed with
 *  `Target.sendMessageToTarget`). Resolves once the panel document exists. */
export async function sidePanel(browser, via, { timeout = 5000 } = {}) {
  const { context, extensionId } = browser;
  const url = `chrome-extension://${extensionId}/sidepanel/index.html`;
  // Relayed through the CDP session of a page that already exists (`via`): a new tab would
  // become the active tab, and the panel would follow it.
  const cdp = await context.newCDPSession(via);
  const target = await eventually(async () => {
    const { targetInfos } = await cdp.send('Target.getTargets');
    return targetInfos.find((t) => t.url === url);
  }, { timeout });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let next = 0;
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message);
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.error) pending.reject(new Error(message.error.message));
    else pending.resolve(message.result);
  });
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = ++next;
    waiting.set(id, { resolve, reject });
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
  });
  /** Evaluates `expression` (awaiting a promise) in the panel and returns its JSON value. */
  const evaluate = async (expression) => {
    const { result, exceptionDetails } = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(`${exceptionDetails.text} ${exceptionDetails.exception?.description ?? ''}`);
    return result.value;
  };
  return {
    evaluate,
    /** Waits until `expression` is truthy in the panel; returns its value. */
    waitFor: (expression, options) => eventually(() => evaluate(expression).catch(() => null), options).catch(async (error) => {
      const body = await evaluate('document.body.innerText.slice(0, 600)').catch(() => '?');
      throw new Error(`${error.message}: ${expression}\npanel: ${body}`);
    }),
    text: (id) => evaluate(`document.getElementById(${JSON.stringify(id)}).textContent`),
    click: (id) => evaluate(`document.getElementById(${JSON.stringify(id)}).click()`),
    screenshot: async (path) => {
      const { writeFileSync } = await import('node:fs');
      const { data } = await send('Page.captureScreenshot', { format: 'png' });
      writeFileSync(path, Buffer.from(data, 'base64'));
    },
    close: () => cdp.detach().catch(() => {}),
  };
}
