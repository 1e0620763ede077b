// End-to-end, issue 19 item 3: signed in, the rows of an Opportunity list whose deal is in the
// portfolio the worker has cached show the Customer City score on their badge; the other rows
// show the on-device estimate (`cc-health list`). No request per row: the list page itself
// makes no request to the API; the portfolio is fetched when the side panel asks for it, once,
// and the badges follow. Signing out brings the estimate back. Against the reference server.
// Needs target/debug/cc-health and cc-reference-server, and a build (CC_DIST).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { eventually, FIXTURE_TODAY, launch, nativeBin, readRowBadges, root, signIn, startReferenceServer } from './browser.mjs';

const SLUG = 'list-lightning-grid-en-us';
const meta = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', SLUG, 'meta.json'), 'utf8'));
const LIST_URL = `https://${SLUG}.lightning.force.com${new URL(meta.url).pathname}${new URL(meta.url).search}`;
// Two rows of the grid fixture become two open deals of the reference dataset (its portfolio
// holds them); the others stay deals the API does not know.
const ANALYSED = { '0065g00000Ls001AAA': '0065g00000AbCdEAAV', '0065g00000Ls002AAA': '0065g00000XyZwVAAV' };
let html = readFileSync(join(root, 'tests', 'fixtures', SLUG, 'page.html'), 'utf8');
for (const [from, to] of Object.entries(ANALYSED)) html = html.replaceAll(from, to).replaceAll(from.slice(0, 15), to.slice(0, 15));

/** What `cc-health list` says of the page: every row's on-device estimate. */
function cliRows() {
  const file = join(mkdtempSync(join(tmpdir(), 'cc-list-')), 'page.html');
  writeFileSync(file, html);
  return JSON.parse(execFileSync(nativeBin('cc-health'), ['list', file, '--url', LIST_URL, '--today', FIXTURE_TODAY]).toString());
}

/** A badge's accessible name for a score and band, and what follows it. */
function nameOf(band, value) {
  switch (band) {
    case 'won': return 'Deal health: closed won';
    case 'lost': return 'Deal health: closed lost';
    case 'unknown': return 'Deal health: not enough data';
    default: return `Deal health ${value} of 100, ${band.replace('_', ' ')}`;
  }
}
const estimateLabel = (row) => {
  const reason = row.score.reasons[0];
  return reason ? `${nameOf(row.score.band, row.score.value)}. ${reason.message}` : nameOf(row.score.band, row.score.value);
};
const ANALYSIS = 'Customer City analysis from activity and contacts';
const id15 = (id) => id && id.slice(0, 15);

let standin;
let api;
let browser;
let page;
let account; // the side panel page signIn leaves open (an extension page: it may ask getPanel)
let rows;
let deals; // the portfolio's deals, as the first test fetched them

/** The API's requests so far (the reference server's own record), those to /v1/ only. */
const apiRequests = async () => (await api.get('/__admin/requests')).filter((r) => r.path.startsWith('/v1/'));

/** Waits until every row's badge is labelled as `labels` (record Id → label) says. */
async function waitForLabels(labels, timeout = 8000) {
  let last = null;
  await eventually(async () => {
    last = await readRowBadges(page);
    return last.length === rows.length && last.every((b) => labels[b.recordId] === b.label);
  }, { timeout }).catch(() => {
    throw new Error(`row badges not as expected; last: ${JSON.stringify(last?.map((b) => [b.recordId, b.label]))}`);
  });
  return last;
}

before(async () => {
  standin = await startStandin();
  api = await startReferenceServer();
  browser = await launch({ port: standin.port, apiPort: api.port });
  page = await browser.context.newPage();
  // The page as the stand-in would serve it, with the two deals of the dataset in it.
  await page.route(`${LIST_URL.split('?')[0]}*`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  rows = cliRows();
  assert.ok(rows.length >= 4, 'the fixture has rows besides the two analysed');
  for (const id of Object.values(ANALYSED)) assert.ok(rows.some((row) => row.recordId === id), `${id} is a row`);
});

after(async () => {
  await browser?.context.close().catch(() => {});
  api?.stop();
  await standin?.close();
});

const estimates = () => Object.fromEntries(rows.map((row) => [row.recordId, estimateLabel(row)]));

test('signed in, the rows of deals in the cached portfolio show the Customer City score; no request per row', async () => {
  // The panel signIn leaves open follows the active tab and would ask for the portfolio: closed,
  // so that what the list page alone asks is seen.
  await (await signIn(browser)).close();
  const before = (await apiRequests()).length;
  await page.bringToFront();
  await page.goto(LIST_URL, { waitUntil: 'load' });
  // No portfolio cached yet: every row shows the estimate, and the list asks the API nothing.
  await waitForLabels(estimates());
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual((await apiRequests()).slice(before), [], 'a list page makes no request');

  // The side panel asks for the list's tab what panel.js asks when it is open beside the list:
  // the worker fetches the portfolio. (Opened as a tab, the panel page is itself the active tab,
  // which is no Salesforce page: it asks nothing of the API for itself.)
  account = await browser.context.newPage();
  await account.goto(`chrome-extension://${browser.extensionId}/sidepanel/index.html`);
  await account.waitForSelector('#sign-out:not([hidden])');
  const answer = await account.evaluate(async (url) => {
    const [tab] = await chrome.tabs.query({ url: `${url.split('?')[0]}*` });
    return chrome.runtime.sendMessage({ type: 'getPanel', tabId: tab.id, enriched: true });
  }, LIST_URL);
  deals = answer.portfolio.data.portfolio.deals;
  const expected = estimates();
  for (const id of Object.values(ANALYSED)) {
    const deal = deals.find((d) => id15(d.id) === id15(id));
    assert.ok(deal && deal.score !== null, `${id} is in the portfolio with a score`);
    expected[id] = `${nameOf(deal.band, deal.score)}. ${ANALYSIS}`;
  }
  assert.notDeepEqual(expected, estimates(), 'the analysis differs from the estimate somewhere');
  const badges = await waitForLabels(expected);
  for (const badge of badges) {
    const deal = Object.values(ANALYSED).includes(badge.recordId) && deals.find((d) => id15(d.id) === id15(badge.recordId));
    const row = rows.find((r) => r.recordId === badge.recordId);
    const band = deal ? deal.band : row.score.band;
    assert.ok(badge.className.split(' ').includes(`tone-${band}`), `${badge.recordId}: ${badge.className}`);
    if (deal) assert.equal(badge.shows, String(deal.score));
  }
  // One request in all: the portfolio the panel asked for. None names a row.
  const asked = (await apiRequests()).slice(before).map((r) => r.path);
  assert.deepEqual(asked, ['/v1/portfolio'], 'only the portfolio, once');

  // The list opened again: the cached portfolio answers its report, no request at all.
  await page.bringToFront();
  await page.goto('about:blank');
  await page.goto(LIST_URL, { waitUntil: 'load' });
  await waitForLabels(expected);
  assert.deepEqual((await apiRequests()).slice(before).map((r) => r.path), ['/v1/portfolio'], 'no request when the list comes back');
});

// Issue 19 (cost): signed in, a list is not read whole for its scores. Until the side panel
// wants the list, the rows near the view are read and reported (a summary marked partial, which
// the panel does not list), and those show their Customer City score; rows scrolled near are
// read and reported in turn; the panel's question brings the whole list.
// A long list (`body`, the bench's 50-row list view) opened before the side panel asked in
// this browser session (a restart keeps the sign-in, not the session's storage): the panel page
// left open by an earlier test is closed first, as it follows the active tab. Returns the tab
// and what the worker keeps of its list report (`stored()`, null when none).
async function openUnwantedList(body) {
  const { LIST_GRID, LIST_HEADERS } = await import('../bench/list-pages.mjs');
  const { worker } = browser;
  await account.close();
  await worker.evaluate(() => chrome.storage.session.remove('cc.listsWanted'));
  const tab = await browser.context.newPage();
  await tab.route((u) => u.href === LIST_GRID, (route) => route.fulfill({ status: 200, headers: LIST_HEADERS, body }));
  await tab.goto(LIST_GRID, { waitUntil: 'load' });
  const tabId = await worker.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, LIST_GRID);
  const key = `cc.list.${tabId}`;
  const stored = () => worker.evaluate(async (name) => (await chrome.storage.session.get(name))[name] ?? null, key);
  const forget = () => worker.evaluate((name) => chrome.storage.session.remove(name), key);
  return { tab, tabId, stored, forget };
}

/** The bench's list view of `rows` rows, the rows numbered `at` showing the portfolio's two deals. */
async function listWithDeals(rows, at) {
  const { listGrid } = await import('../bench/list-pages.mjs');
  let html = listGrid(rows);
  const analysed = Object.values(ANALYSED);
  at.forEach((row, i) => {
    const from = `0065g00000G${String(row).padStart(4, '0')}AAA`;
    html = html.replaceAll(from, analysed[i]).replaceAll(from.slice(0, 15), analysed[i].slice(0, 15));
  });
  return html;
}

/** Waits until the rows of the portfolio's two deals show the analysis' score on `tab`. */
async function waitForAnalysedRows(tab) {
  await eventually(async () => {
    const badges = await readRowBadges(tab);
    return Object.values(ANALYSED).every((id) => {
      const deal = deals.find((d) => id15(d.id) === id15(id));
      const badge = badges.find((b) => id15(b.recordId) === id15(id));
      return badge && badge.shows === String(deal.score) && badge.label.endsWith(ANALYSIS);
    });
  }, { timeout: 8000 });
}

/** Opens the side panel page as a tab of its own (it shows no list: no tab is asked for one). */
async function reopenPanelPage() {
  account = await browser.context.newPage();
  await account.goto(`chrome-extension://${browser.extensionId}/sidepanel/index.html`);
  await account.waitForSelector('#sign-out:not([hidden])');
}

test('signed in, rows near the view are reported for their scores; the panel gets the whole list', async () => {
  // A 50-row list view whose first two rows are the portfolio's two deals.
  const { tab, tabId, stored } = await openUnwantedList(await listWithDeals(50, [0, 1]));
  // The two deals' rows show the analysis' score.
  await waitForAnalysedRows(tab);
  const partial = await eventually(stored);
  assert.equal(partial.summary.partial, true, 'the rows read so far, marked partial');
  assert.ok(partial.summary.total < 50, `${partial.summary.total} of 50 rows read and reported`);
  const badged = (await readRowBadges(tab)).filter((b) => b.label).length;
  assert.ok(badged < 50, `${badged} of 50 rows read: those near the view`);
  // Scrolled to the end: the rows brought near are read and reported with the others.
  await tab.evaluate(() => document.querySelector('tr[data-row-key-value]:last-of-type').scrollIntoView({ block: 'end' }));
  await tab.mouse.wheel(0, 10000);
  const grown = await eventually(async () => {
    const now = await stored();
    return now && now.summary.total > partial.summary.total ? now : null;
  }, { timeout: 8000 });
  assert.ok(grown.summary.total <= 50);
  // The side panel asks for the tab: the list is read whole and reported so.
  await reopenPanelPage();
  await account.evaluate((id) => chrome.runtime.sendMessage({ type: 'getPanel', tabId: id }), tabId);
  const whole = await eventually(async () => {
    const now = await stored();
    return now && !now.summary.partial ? now : null;
  }, { timeout: 8000 });
  assert.equal(whole.summary.total, 50);
  assert.equal((await readRowBadges(tab)).filter((b) => b.label).length, 50, 'every row has its badge');
  await tab.close();
});

// Issue 19: a list reports its riskiest hundred rows in full and names the others by Id alone,
// so that every row of a long list gets its Customer City score, not only the riskiest.
test('signed in, rows past the riskiest hundred get their scores too', async () => {
  // 130 rows of one estimate (ranked in page order): the portfolio's two deals are the last two.
  const { tab, tabId, stored } = await openUnwantedList(await listWithDeals(130, [128, 129]));
  const analysed = Object.values(ANALYSED);
  // The side panel asks for the tab: the whole list is read and reported.
  await reopenPanelPage();
  await account.evaluate((id) => chrome.runtime.sendMessage({ type: 'getPanel', tabId: id }), tabId);
  const whole = await eventually(async () => {
    const now = await stored();
    return now && !now.summary.partial && now.summary.total === 130 ? now : null;
  }, { timeout: 10000 });
  assert.equal(whole.summary.rows.length, 100, 'the riskiest hundred listed');
  const listed = whole.summary.rows.map((row) => id15(row.recordId));
  for (const id of analysed) {
    assert.ok(!listed.includes(id15(id)), `${id} is not among the rows listed`);
    assert.ok(whole.summary.others.some((other) => id15(other) === id15(id)), `${id} is named by Id`);
  }
  // Their rows show the analysis' score all the same.
  await waitForAnalysedRows(tab);
  await tab.close();
});

test('signing out brings every row back to the on-device estimate; a list stops reporting', async () => {
  const { listGrid } = await import('../bench/list-pages.mjs');
  // A long list opened before the side panel asked: it reports the rows it reads for their
  // scores, signed in.
  const { tab, stored, forget } = await openUnwantedList(listGrid(50));
  assert.equal((await eventually(stored)).summary.partial, true);
  await reopenPanelPage();

  assert.deepEqual(await account.evaluate(() => chrome.runtime.sendMessage({ type: 'signOut' })), { ok: true });
  await waitForLabels(estimates());
  // Signed out, the long list is told so: a row edited in view (the deal lost) changes its
  // summary, which it keeps to itself now.
  await forget();
  await tab.evaluate(() => {
    document.querySelector('tr[data-row-key-value^="0065g00000G"] td[data-label="Stage"] lightning-base-formatted-text').textContent = 'Closed Lost';
  });
  await eventually(async () => (await readRowBadges(tab)).some((b) => /closed lost/i.test(b.label)), { timeout: 5000 });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(await stored(), null, 'no report from a list once signed out');
  await tab.close();
});
