// End-to-end: the real dist/ (manifest, content script, service worker) in headless Chromium,
// fixture pages served over HTTPS under real Salesforce host names. Run by tests/run-all.sh
// after build.sh; needs target/debug/cc-health for the expected scores.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { isPageAsset, startStandin } from '../server/salesforce-standin.mjs';
import { CHROMIUM_OWN_HOSTS, countEvaluations, dist, eventually, FIXTURE_TODAY, launch, nativeBin, readBadge, root, waitForBadge } from './browser.mjs';

const fixturesDir = join(root, 'tests', 'fixtures');
const cli = nativeBin('cc-health');
const netLog = join(mkdtempSync(join(tmpdir(), 'cc-netlog-')), 'netlog.json');
const outputDir = join(root, 'tests', 'e2e', 'output');

let standin;
let browser;
let page;
const navigations = new Set();
const pageRequests = [];

const today = FIXTURE_TODAY; // the browser's clock too (tests/tools/fixed-clock.sh)

/** The served URL of a fixture: its slug is the host's first label, its real path kept. */
function servedUrl(slug, query = '') {
  const meta = JSON.parse(readFileSync(join(fixturesDir, slug, 'meta.json'), 'utf8'));
  const url = new URL(meta.url);
  const domain = url.hostname.endsWith('.my.salesforce.com') ? 'my.salesforce.com' : 'lightning.force.com';
  return `https://${slug}.${domain}${url.pathname}${url.search}${query}${url.hash}`;
}

/** What `cc-health extract` says for the same page, URL and date. */
function cliReport(slug, url) {
  const out = execFileSync(cli, ['extract', join(fixturesDir, slug, 'page.html'), '--url', url, '--today', today]);
  return JSON.parse(out.toString());
}

/** The badge's accessible name for a report: the exact forms the issue specifies. */
function expectedLabel(report) {
  const { value, band } = report.score;
  if (report.warnings.some((w) => w.code === 'no_record_fields')) return null;
  switch (band) {
    case 'won': return 'Deal health: closed won';
    case 'lost': return 'Deal health: closed lost';
    case 'unknown': return 'Deal health: not enough data';
    default: return `Deal health ${value} of 100, ${band.replace('_', ' ')}`;
  }
}

async function visit(url) {
  navigations.add(url.split('#')[0]);
  await page.goto(url, { waitUntil: 'load' });
}

before(async () => {
  assert.ok(existsSync(join(dist, 'manifest.json')), 'run ./build.sh first');
  assert.ok(existsSync(cli), 'build cc-health first (cargo build -p cc-health)');
  standin = await startStandin();
  browser = await launch({ port: standin.port, netLog });
  page = await browser.context.newPage();
  page.on('request', (request) => pageRequests.push({ url: request.url(), type: request.resourceType() }));
});

after(async () => {
  await browser?.context.close().catch(() => {});
  await standin?.close();
});

test('the service worker is running the core: it answers, and refuses a message not from a Salesforce tab', async () => {
  const panel = await browser.context.newPage();
  await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel/index.html`);
  const answer = await panel.evaluate(() =>
    chrome.runtime.sendMessage({ type: 'openSidePanel', recordId: '0065g00000AbCdEAAV' }));
  assert.equal(answer.ok, false);
  assert.equal(answer.ignored, 'notSalesforce'); // protocol::Refusal's code
  const malformed = await panel.evaluate(() => chrome.runtime.sendMessage({ type: 'openSidePanel', token: 'x' }));
  assert.equal(malformed.ignored, 'malformed');
  await panel.close();
});

test('the manifest asks for exactly the promised permissions', () => {
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
  // Each one justified in store/permissions.md (tests/tools/store-check.py checks they agree).
  assert.deepEqual([...manifest.permissions].sort(), ['alarms', 'sidePanel', 'storage']);
  assert.deepEqual(manifest.host_permissions, [
    'https://*.salesforce.com/*', 'https://*.force.com/*', 'https://api.customercity.com/*',
  ]);
  assert.deepEqual(manifest.content_scripts.map((s) => s.matches), [['https://*.salesforce.com/*', 'https://*.force.com/*']]);
  assert.deepEqual(manifest.content_scripts.map((s) => s.js), [['content/gate.js']]);
  // A keyboard shortcut opens the side panel: the worker sets openPanelOnActionClick, so the
  // action's command opens the panel as a click on the toolbar icon does.
  assert.deepEqual(manifest.commands, { _execute_action: { suggested_key: { default: 'Alt+Shift+D' } } });
  assert.equal(manifest.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
  // Only the content script proper and its core, for the gate's and its import() on Salesforce
  // pages, and only under a URL that changes every session (a page cannot probe for the
  // extension by a fixed URL). The gate is the only content script.
  assert.deepEqual(manifest.web_accessible_resources, [{
    resources: ['content/main.js', 'content/core.mjs', 'content/core-wasm.mjs', 'content/core.wasm'], matches: ['https://*.salesforce.com/*', 'https://*.force.com/*'], use_dynamic_url: true,
  }]);
  // Customer City's web apps (a regional one too: docs/admin.md); the worker takes the hand-off
  // only from the one of the API in force (settings.rs, auth.rs).
  assert.deepEqual(manifest.externally_connectable, { matches: ['https://*.customercity.com/*'] }, 'only the web apps may message the extension');
});

// Record pages only: list pages (`list-*`, issue 19) draw no record badge.
const slugs = readdirSync(fixturesDir).filter((slug) => existsSync(join(fixturesDir, slug, 'page.html')) && !slug.startsWith('list-')).sort();

// Lists draw a badge per row (lists.test.mjs checks each against cc-health list); here they
// are visited so that the zero-network test below covers them too.
const listSlugs = readdirSync(fixturesDir).filter((slug) => slug.startsWith('list-') && existsSync(join(fixturesDir, slug, 'page.html'))).sort();
test('signed out, every list page draws its row badges (and is in the zero-network check below)', async () => {
  assert.ok(listSlugs.length >= 5, 'the list fixtures were found');
  for (const slug of listSlugs) {
    await visit(servedUrl(slug));
    // Row badges sit beside their rows, inside the page's open shadow roots where those are.
    const drawn = await page.waitForFunction(() => {
      const count = (root) => [...root.querySelectorAll('*')]
        .reduce((n, el) => n + (el.localName === 'cc-deal-health-row') + (el.shadowRoot ? count(el.shadowRoot) : 0), 0);
      return count(document) > 0;
    }, null, { timeout: 10000 }).then(() => true, () => false);
    assert.ok(drawn, `row badges on ${slug}`);
  }
});

for (const slug of slugs) {
  test(`badge on ${slug} equals cc-health extract`, async () => {
    const url = servedUrl(slug);
    const report = cliReport(slug, url);
    const label = expectedLabel(report);
    await visit(url);
    if (label === null) {
      await page.waitForTimeout(600);
      assert.equal(await readBadge(page), null, 'no badge while no field of this record is on the page');
      return;
    }
    const { badge } = await waitForBadge(page, (b) => b && b.label === label);
    assert.equal(badge.shadowRootType, 'closed');
    if (report.score.value !== null) assert.ok(badge.text.startsWith(String(report.score.value)), badge.text);
    const topReason = report.score.reasons.find((r) => r.points !== 0) || report.score.reasons[0];
    if (topReason) assert.ok(badge.text.includes(topReason.message), `hover card lists "${topReason.message}"`);
  });
}

test('page text reaches the badge as text, never as markup', async () => {
  const slug = 'lightning-hostile-text';
  await visit(servedUrl(slug));
  await waitForBadge(page, (b) => b && b.label);
  // A close date five days from the browser's today, so the hover card names the (hostile)
  // stage in "Closes in 5 days but is still at an early stage (...)" on any run date.
  await page.evaluate(() => {
    const soon = new Date(Date.now() + 5 * 24 * 3600 * 1000);
    const text = soon.toISOString().slice(0, 10); // ISO: never day/month-ambiguous
    document.querySelector('.lafPageHost.active [data-target-selection-name="sfdc:RecordField.Opportunity.CloseDate"] [data-output-element-id="output-field"]').textContent = text;
  });
  const literal = '(<img src=x onerror=alert(1)><b>Prospecting</b>)';
  const { badge } = await waitForBadge(page, (b) => b && b.text.includes(literal), { timeout: 3000 });
  assert.ok(badge.text.includes(literal), badge.text);
  const cdp = await browser.context.newCDPSession(page);
  const { root: document } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  await cdp.detach();
  const names = [];
  const walk = (node, inBadge) => {
    if (inBadge && node.nodeType === 1) names.push(node.nodeName);
    for (const child of node.children || []) walk(child, inBadge);
    for (const shadow of node.shadowRoots || []) walk(shadow, inBadge || node.nodeName === 'CC-DEAL-HEALTH');
  };
  walk(document, false);
  assert.ok(names.length > 0);
  for (const name of ['IMG', 'B', 'SCRIPT']) assert.ok(!names.includes(name), `${name} element inside the badge`);
});

test("the page's own JavaScript cannot reach into the badge", async () => {
  await visit(servedUrl('lightning-record-layout-en-us'));
  await waitForBadge(page, (b) => b && b.label);
  const seen = await page.evaluate(() => {
    const host = document.querySelector('cc-deal-health');
    return { found: !!host, shadowRoot: host && host.shadowRoot, children: host && host.childNodes.length,
             text: host && host.textContent, position: host && getComputedStyle(host).position };
  });
  assert.deepEqual(seen, { found: true, shadowRoot: null, children: 0, text: '', position: 'fixed' });
});

test('the badge sits beside the record name, over no control, without moving the page', async () => {
  await visit(servedUrl('lightning-record-layout-en-us'));
  const before = await page.evaluate(() => {
    const r = document.querySelector('.lafPageHost.active [slot="primaryField"]').getBoundingClientRect();
    return { x: r.x, y: r.y, right: r.right, top: r.top, bottom: r.bottom, scroll: document.documentElement.scrollHeight };
  });
  const { badge } = await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible');
  const afterLayout = await page.evaluate(() => {
    const r = document.querySelector('.lafPageHost.active [slot="primaryField"]').getBoundingClientRect();
    const controls = [...document.querySelectorAll('button, a, input')]
      .map((e) => e.getBoundingClientRect()).filter((r) => r.width && r.height)
      .map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height }));
    return { x: r.x, y: r.y, scroll: document.documentElement.scrollHeight, controls };
  });
  assert.equal(afterLayout.x, before.x, 'the record name did not move');
  assert.equal(afterLayout.y, before.y);
  assert.equal(afterLayout.scroll, before.scroll, 'the page did not grow');
  const b = badge.rect;
  assert.ok(b.x >= before.right && b.x <= before.right + 40, `badge right of the name (${b.x} vs ${before.right})`);
  assert.ok(b.y + b.h / 2 >= before.top && b.y + b.h / 2 <= before.bottom + 4, 'badge level with the name');
  for (const c of afterLayout.controls) {
    const overlap = b.x < c.x + c.w && c.x < b.x + b.w && b.y < c.y + c.h && c.y < b.y + b.h;
    assert.ok(!overlap, `badge covers a control at ${JSON.stringify(c)}`);
  }
});

for (const [name, query] of [['no CSP', ''], ["script-src 'self' 'unsafe-eval'", '?csp=unsafe-eval'], ["Lightning's CSP", '?csp=lightning'],
  ["strict script-src 'self'", '?csp=strict'], ['no eval and no fetch', '?csp=locked']]) {
  test(`the badge appears under ${name}`, async () => {
    const slug = 'lightning-native-shadow-en-us';
    const url = servedUrl(slug, query);
    const label = expectedLabel(cliReport(slug, servedUrl(slug)));
    const violations = [];
    page.on('console', (message) => { if (/wasm|WebAssembly/i.test(message.text())) violations.push(message.text()); });
    await visit(url);
    await waitForBadge(page, (b) => b && b.label === label);
    const served = standin.requests.filter((r) => r.url === url);
    assert.ok(served.length > 0);
    assert.deepEqual(violations, [], 'no WebAssembly CSP violation on the page');
  });
}

/** Lightning-style in-app navigation: the page swaps its DOM and pushes a URL, no reload. */
async function navigateInApp(slug, path, { domFirst = true, gapMs = 0 } = {}) {
  const html = readFileSync(join(fixturesDir, slug, 'page.html'), 'utf8');
  const body = html.slice(html.indexOf('<body'), html.lastIndexOf('</body>'));
  const inner = body.slice(body.indexOf('>') + 1);
  await page.evaluate(async ({ inner, path, domFirst, gapMs }) => {
    const swap = () => { document.body.innerHTML = inner; };
    const push = () => history.pushState({}, '', path);
    if (domFirst) { swap(); push(); } else { push(); }
    if (!domFirst) setTimeout(swap, gapMs);
  }, { inner, path, domFirst, gapMs });
}

test('in-app navigation to another opportunity shows the new score within 500 ms, never the old one', async () => {
  const first = 'lightning-record-layout-en-us';
  await visit(servedUrl(first));
  const oldLabel = expectedLabel(cliReport(first, servedUrl(first)));
  await waitForBadge(page, (b) => b && b.label === oldLabel);

  const next = 'lightning-overdue-critical';
  const path = '/lightning/r/Opportunity/0065g00000QwErTAAV/view';
  const newLabel = expectedLabel(cliReport(next, new URL(path, page.url()).href));
  assert.notEqual(newLabel, oldLabel);

  // The content script's User Timing entries (one `cc-evaluate` per evaluation), seen from the page.
  await countEvaluations(page, { now: true });
  await navigateInApp(next, path, { domFirst: true });
  const dom = await waitForBadge(page, (b) => b && b.label === newLabel, { timeout: 2000 });
  assert.ok(dom.elapsed <= 500, `new score after ${dom.elapsed} ms`);
  assert.ok(!dom.seen.includes(oldLabel), `old score seen after navigating: ${JSON.stringify(dom.seen)}`);
  await page.waitForTimeout(600); // past the observer's debounce
  assert.equal(await page.evaluate(() => window.ccEvaluations), 1, 'the swap already read by the URL change is not evaluated again');

  // URL first, DOM 250 ms later (a slow org): the old badge must go at once.
  const back = 'lightning-stale-page-de-de';
  const backPath = '/lightning/r/Opportunity/0065g00000ZxCvBAAV/view';
  const backLabel = expectedLabel(cliReport(back, new URL(backPath, page.url()).href));
  await navigateInApp(back, backPath, { domFirst: false, gapMs: 250 });
  const slow = await waitForBadge(page, (b) => b && b.label === backLabel, { timeout: 3000 });
  assert.ok(!slow.seen.includes(newLabel), `previous record's score seen: ${JSON.stringify(slow.seen)}`);
});

test('an inline edit of Stage updates the score', async () => {
  const slug = 'lightning-record-layout-en-us';
  await visit(servedUrl(slug));
  await waitForBadge(page, (b) => b && b.label === expectedLabel(cliReport(slug, servedUrl(slug))));
  await page.evaluate(() => {
    const stage = document.querySelector(
      '.lafPageHost.active [data-target-selection-name="sfdc:RecordField.Opportunity.StageName"] [data-output-element-id="output-field"]');
    stage.textContent = 'Closed Won';
  });
  await waitForBadge(page, (b) => b && b.label === 'Deal health: closed won', { timeout: 2000 });
});

test('a non-opportunity page shows no badge, in-app or loaded directly', async () => {
  await visit(servedUrl('lightning-record-layout-en-us'));
  await waitForBadge(page, (b) => b && b.label);
  await page.evaluate(() => history.pushState({}, '', '/lightning/o/Opportunity/list?filterName=Recent'));
  await waitForBadge(page, (b) => b === null, { timeout: 1000 });
  await visit('https://acme.lightning.force.com/lightning/o/Opportunity/list?filterName=Recent');
  await page.waitForTimeout(500);
  assert.equal(await readBadge(page), null);
});

async function sidePanelTargets() {
  const cdp = await browser.context.newCDPSession(page);
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    return targetInfos.filter((t) => t.url === `chrome-extension://${browser.extensionId}/sidepanel/index.html`);
  } finally {
    await cdp.detach().catch(() => {});
  }
}

test('clicking the badge opens the side panel for this tab', async () => {
  await visit(servedUrl('lightning-dynamic-forms-en-us'));
  const { badge } = await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible');
  assert.equal((await sidePanelTargets()).length, 0, 'no panel before the click');
  await page.mouse.click(badge.rect.x + badge.rect.w / 2, badge.rect.y + badge.rect.h / 2);
  const start = Date.now();
  while ((await sidePanelTargets()).length === 0) {
    assert.ok(Date.now() - start < 3000, 'the side panel opened within 3 s of the click');
    await new Promise((r) => setTimeout(r, 50));
  }
});

test('with the service worker stopped, a click on the badge still opens the side panel', async () => {
  // The worker wakes for the click's message and loads its WebAssembly; the click's user
  // gesture, which chrome.sidePanel.open needs, must not wait for that.
  const tab = await browser.context.newPage();
  await tab.goto(servedUrl('lightning-record-layout-en-us'));
  const { badge } = await waitForBadge(tab, (b) => b && b.label && b.rect.visible === 'visible');
  const cdp = await browser.context.newCDPSession(tab);
  // The side panel is the window's: close the one an earlier test opened.
  for (const panel of await sidePanelTargets()) await cdp.send('Target.closeTarget', { targetId: panel.targetId });
  await eventually(async () => (await sidePanelTargets()).length === 0);
  const stopped = new Promise((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (versions.some((v) => v.scriptURL.includes(browser.extensionId) && v.runningStatus === 'stopped')) resolve();
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;
  await cdp.detach();
  await tab.mouse.click(badge.rect.x + badge.rect.w / 2, badge.rect.y + badge.rect.h / 2);
  const start = Date.now();
  while ((await sidePanelTargets()).length === 0) {
    assert.ok(Date.now() - start < 5000, 'the side panel opened within 5 s of the click');
    await new Promise((r) => setTimeout(r, 50));
  }
  await tab.close();
});

test('a screenshot of the badge is written to the test output', async () => {
  await visit(servedUrl('lightning-record-layout-en-us'));
  await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible');
  await page.screenshot({ path: join(outputDir, 'badge-lightning.png') });
});

test('signed out, the extension made zero network requests (page, worker, whole browser)', async () => {
  // 1. What the page saw: only the documents the test navigated to, the stylesheets and icons
  //    their markup links (the stand-in's PAGE_ASSETS, as on a real org), and the gate's import
  //    of the content script and its import of the core from the extension's own package
  //    (chrome-extension:, no network: the modules, and the WebAssembly the core fetches where
  //    the page's CSP allows compiling it).
  const ownCore = (r) => (r.type === 'script' && /^chrome-extension:\/\/[^/]+\/content\/(main\.js|core(-wasm)?\.mjs)$/.test(r.url))
    || (r.type === 'fetch' && /^chrome-extension:\/\/[^/]+\/content\/core\.wasm$/.test(r.url));
  const extra = pageRequests.filter((r) => r.type !== 'document' && !r.url.endsWith('/favicon.ico') && !ownCore(r) && !isPageAsset(r.url));
  assert.deepEqual(extra, [], 'requests beyond the navigated documents');
  // 2. What reached the stand-in (every Salesforce and Customer City host resolves to it).
  const unexpected = standin.requests.filter((r) => !navigations.has(r.url) && r.path !== '/favicon.ico' && !isPageAsset(r.path));
  assert.deepEqual(unexpected, [], 'requests the test did not make');
  // 3. Everything Chromium tried, from its net log.
  await browser.context.close();
  const raw = readFileSync(netLog, 'utf8');
  let log;
  try {
    log = JSON.parse(raw);
  } catch {
    log = JSON.parse(raw.trim().replace(/,$/, '') + ']}'); // a log cut short: close the events array
  }
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  const urls = new Set();
  for (const event of log.events || []) {
    if (event.type !== startJob) continue; // one event per request actually started
    const url = event.params && event.params.url;
    if (typeof url === 'string' && /^(https?|wss?):/.test(url)) urls.add(url.split('#')[0]);
  }
  const missing = [...navigations].filter((url) => !urls.has(url));
  assert.deepEqual(missing, [], 'the net log recorded every page the test opened (so it records requests at all)');
  const foreign = [...urls].filter((url) => {
    const { hostname, pathname } = new URL(url);
    if (CHROMIUM_OWN_HOSTS.test(hostname)) return false;
    if (pathname === '/favicon.ico' || isPageAsset(pathname)) return false;
    return !navigations.has(url);
  });
  assert.deepEqual(foreign, [], 'network requests in the net log');
});
