// Signed in, the enriched analysis follows Lightning's in-app navigation (the DOM swapped and
// the URL pushed, no reload), in a standard app and in a console's record subtabs: each
// record's own analysis on the badge and in the side panel, a fresh one from the cache, and no
// message about a record other than the one on screen acted on. Chromium keeps a content
// script's `sender.url` at the URL its document was loaded with, so these fail unless the worker
// checks messages against the tab's current URL (protocol.rs, `Sender::content_page`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { eventually, FIXTURE_TODAY, fixtureBody, launch, nativeBin, root, sidePanel, signIn, startReferenceServer, waitForBadge } from './browser.mjs';

const fixturesDir = join(root, 'tests', 'fixtures');
const cli = nativeBin('cc-health');

// Three records of the reference server's dataset, each drawn from a fixture page without
// record-Id markers of its own (so the page can stand for any record).
const A = { id: '0065g00000AbCdEAAV', fixture: 'lightning-record-layout-en-us' };
const B = { id: '0065g00000QwErTAAV', fixture: 'lightning-overdue-critical' };
const C = { id: '0065g00000ZxCvBAAV', fixture: 'lightning-multi-currency' };
const D = { id: '0065g00000QqQqQAAV' }; // never on screen
const RECORDS = [A, B, C, D];

let standin;
let api;
let browser;
let relay; // a tab that never navigates: the CDP relay to the real side panel
let panel;

const recordPath = (record, query = '') => `/lightning/r/Opportunity/${record.id}/view${query}`;

/** The record's name as the page shows it (what the panel's title must say). */
function pageName(record) {
  const out = execFileSync(cli, ['extract', join(fixturesDir, record.fixture, 'page.html'),
    '--url', `https://acme.lightning.force.com${recordPath(record)}`, '--today', FIXTURE_TODAY]);
  return JSON.parse(out.toString()).fields.name;
}

/** The reference server's analysis of a record, asked directly with the session's token (before
 *  the request log is read, so these requests are not counted). */
async function serverAnalysis(record) {
  return browser.worker.evaluate(async (id) => {
    const { session } = await chrome.storage.local.get('session');
    const response = await fetch(`https://api.customercity.com/v1/opportunities/${id}/analysis`, {
      headers: { authorization: `Bearer ${session.accessToken}`, 'x-salesforce-host': 'test.lightning.force.com' },
    });
    return response.json();
  }, record.id);
}

const bandWords = { healthy: 'healthy', at_risk: 'at risk', critical: 'critical' };
const enrichedLabel = (analysis) => `Deal health ${analysis.score.value} of 100, ${bandWords[analysis.score.band]}`;

/** Analysis requests the reference server received, per record Id. */
async function analysisRequests() {
  const counts = Object.fromEntries(RECORDS.map((r) => [r.id, 0]));
  for (const request of await api.get('/__admin/requests')) {
    const match = /^\/v1\/opportunities\/([^/]+)\/analysis$/.exec(request.path);
    if (match) counts[match[1]] = (counts[match[1]] ?? 0) + 1;
  }
  return counts;
}

/** The Tier 1 report the worker keeps for the tab (what the side panel shows). */
async function storedTier1(page) {
  return browser.worker.evaluate(async (url) => {
    const [tab] = (await chrome.tabs.query({})).filter((t) => t.url === url);
    if (!tab) return null;
    const key = `cc.tab.${tab.id}`;
    return (await chrome.storage.session.get(key))[key] ?? null;
  }, page.url());
}

before(async () => {
  standin = await startStandin();
  api = await startReferenceServer();
  browser = await launch({ port: standin.port, apiPort: api.port });
  [relay] = browser.context.pages();
  (await signIn(browser)).close();
  for (const record of [A, B, C]) {
    record.name = pageName(record);
    record.analysis = await serverAnalysis(record);
    record.label = enrichedLabel(record.analysis);
  }
  assert.equal(new Set([A, B, C].map((r) => r.label)).size, 3, 'three records the badge can tell apart');
  assert.equal(new Set([A, B, C].map((r) => r.name)).size, 3, 'three names the panel can tell apart');
});

after(async () => {
  panel?.close();
  await browser?.context.close().catch(() => {});
  api?.stop();
  await standin?.close();
});

/** Waits for the record's enriched badge; proves no other record's label appeared meanwhile. */
async function expectEnriched(page, record, others) {
  const { seen } = await waitForBadge(page, (b) => b && b.label === record.label && b.text.includes('Customer City analysis'), { timeout: 8000 });
  for (const other of others) {
    assert.ok(!seen.includes(other.label), `${other.id}'s score seen while ${record.id} was shown: ${JSON.stringify([...new Set(seen)])}`);
  }
}

/** Waits until the real side panel shows the record: its name, and its enriched score. */
async function expectPanel(record) {
  await panel.waitFor(`document.getElementById('deal-title').textContent === ${JSON.stringify(record.name)}
    && !document.getElementById('enriched-body').hidden
    && document.getElementById('headline-score').textContent === ${JSON.stringify(String(record.analysis.score.value))}`, { timeout: 8000 });
}

async function expectStoredReport(page, record) {
  const report = await eventually(async () => {
    const stored = await storedTier1(page);
    return stored && stored.recordId.slice(0, 15) === record.id.slice(0, 15) ? stored : null;
  }, { timeout: 5000 });
  assert.equal(report.name, record.name);
}

test('standard app: A → B → C → A in-app, each with its own enriched analysis, A from the cache', async () => {
  const page = await browser.context.newPage();
  const host = `https://${A.fixture}.lightning.force.com`;
  const before = await analysisRequests();
  await page.goto(`${host}${recordPath(A)}`);
  await expectEnriched(page, A, []);

  // The real side panel, opened by a click on the badge as a rep does.
  const { badge } = await waitForBadge(page, (b) => b && b.rect.visible === 'visible');
  await page.mouse.click(badge.rect.x + badge.rect.w / 2, badge.rect.y + badge.rect.h / 2);
  panel = await sidePanel(browser, relay);
  await expectPanel(A);

  const go = (record, { domFirst, gapMs = 0 }) => page.evaluate(({ inner, path, domFirst, gapMs }) => {
    const swap = () => document.body.setHTMLUnsafe(inner);
    const push = () => history.pushState({}, '', path);
    if (domFirst) {
      swap();
      push();
    } else {
      push();
      setTimeout(swap, gapMs);
    }
  }, { inner: fixtureBody(record.fixture), path: recordPath(record), ...{ domFirst, gapMs } });

  // B: the DOM first, then the URL (Lightning's usual order).
  await go(B, { domFirst: true });
  await expectEnriched(page, B, [A, C]);
  await expectStoredReport(page, B);
  await expectPanel(B);

  // C: the URL first, the DOM 250 ms later (a slow org).
  await go(C, { domFirst: false, gapMs: 250 });
  await expectEnriched(page, C, [A, B]);
  await expectStoredReport(page, C);
  await expectPanel(C);

  // Back to A: still fresh in the cache, so no second request.
  await go(A, { domFirst: true });
  await expectEnriched(page, A, [B, C]);
  await expectStoredReport(page, A);
  await expectPanel(A);

  await page.waitForTimeout(500); // anything late would arrive now
  const after = await analysisRequests();
  const made = Object.fromEntries(RECORDS.map((r) => [r.id, after[r.id] - before[r.id]]));
  assert.deepEqual(made, { [A.id]: 1, [B.id]: 1, [C.id]: 1, [D.id]: 0 }, 'one request per record, none for a record not on screen');
  panel.close();
  panel = null;
  await page.close();
});

test('console app: record subtabs A → B → C → A, the DOM switched before and after the URL', async () => {
  const page = await browser.context.newPage();
  const host = `https://${A.fixture}.lightning.force.com`;
  const workspace = '?ws=%2Flightning%2Fr%2FAccount%2F0015g00000XyZabAAB%2Fview';
  const before = await analysisRequests();
  // The same org as the test before: A, B and C are in its cache, fresh.
  await page.goto(`${host}${recordPath(A, workspace)}`);
  await expectEnriched(page, A, []);

  // Turn the page into a console tab set: A's page becomes the first subtab; B and C are added
  // as Lightning adds subtabs, inactive until opened.
  await page.evaluate(({ others }) => {
    const tabset = document.createElement('div');
    tabset.className = 'oneConsoleTabset navexConsoleTabset';
    const first = document.createElement('section');
    first.className = 'tabContent active oneConsoleTab';
    first.setAttribute('role', 'tabpanel');
    first.dataset.record = 'A';
    const host = document.querySelector('.lafPageHost.active');
    host.replaceWith(tabset);
    first.append(host);
    tabset.append(first);
    for (const [name, inner] of others) {
      const parsed = Document.parseHTMLUnsafe(`<body>${inner}</body>`);
      const section = document.createElement('section');
      section.className = 'tabContent oneConsoleTab';
      section.setAttribute('role', 'tabpanel');
      section.dataset.record = name;
      section.append(document.adoptNode(parsed.querySelector('.lafPageHost.active')));
      tabset.append(section);
    }
  }, { others: [['B', fixtureBody(B.fixture)], ['C', fixtureBody(C.fixture)]] });
  await expectEnriched(page, A, []);

  const open = (name, record, { domFirst, gapMs = 0 }) => page.evaluate(({ name, path, domFirst, gapMs }) => {
    const switchTab = () => {
      for (const section of document.querySelectorAll('section.oneConsoleTab')) {
        section.classList.toggle('active', section.dataset.record === name);
      }
    };
    const push = () => history.pushState({}, '', path);
    if (domFirst) {
      switchTab();
      push();
    } else {
      push();
      setTimeout(switchTab, gapMs);
    }
  }, { name, path: recordPath(record, workspace), domFirst, gapMs });

  await open('B', B, { domFirst: true });
  await expectEnriched(page, B, [A, C]);
  await expectStoredReport(page, B);
  await open('C', C, { domFirst: false, gapMs: 250 });
  await expectEnriched(page, C, [A, B]);
  await expectStoredReport(page, C);
  await open('A', A, { domFirst: false, gapMs: 100 });
  await expectEnriched(page, A, [B, C]);
  await expectStoredReport(page, A);

  await page.waitForTimeout(500);
  const after = await analysisRequests();
  const made = Object.fromEntries(RECORDS.map((r) => [r.id, after[r.id] - before[r.id]]));
  // A, B and C are fresh in this org's cache from the first test: nothing is asked again.
  assert.deepEqual(made, { [A.id]: 0, [B.id]: 0, [C.id]: 0, [D.id]: 0 }, 'every subtab served from the cache');
  await page.close();
});

test("a page that pushes another record's URL over its own DOM gets no analysis of that record", async () => {
  const { targetInfos } = await (await browser.context.newCDPSession(relay)).send('Target.getTargets');
  assert.ok(targetInfos.some((t) => t.url.endsWith('/sidepanel/index.html')), 'the side panel is open');
  const page = await browser.context.newPage();
  const host = `https://${A.fixture}.lightning.force.com`;
  await page.goto(`${host}${recordPath(A)}`);
  await expectEnriched(page, A, []);
  const before = await analysisRequests();

  // 1. The URL names D while the DOM still shows A, untouched, and then changes a little.
  await page.evaluate((path) => {
    history.pushState({}, '', path);
    setTimeout(() => document.body.append(document.createElement('div')), 100);
  }, recordPath(D));
  await page.waitForTimeout(1200); // past the content script's debounce
  // 2. The DOM swapped to a page whose record markers name yet another record.
  await page.evaluate((inner) => document.body.setHTMLUnsafe(inner), fixtureBody('lightning-record-id-mismatch'));
  await page.waitForTimeout(1200);

  // The real side panel (opened in the first test) is still open and follows this tab: it
  // would fetch the URL's record if it trusted the URL alone (panel::record_to_analyse).
  const after = await analysisRequests();
  assert.equal(after[D.id] - before[D.id], 0, 'no analysis of the URL record the page does not show');
  const stored = await storedTier1(page);
  assert.ok(!stored || stored.recordId.slice(0, 15) !== D.id.slice(0, 15), `no Tier 1 report kept for D: ${JSON.stringify(stored)}`);
  await page.close();
});
