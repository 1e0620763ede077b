// One headline on the badge (issue 16, item 2): signed in, the Customer City analysis is the
// headline, so while it is on its way the badge is pending ("…", neutral, its own accessible
// name) and never shows the on-device score first; signed out, the on-device score shows at once.
// The decision is the core's (badge::decide); the worker says "signed in" in its answer to the
// content script's first question (getDateOrder), never with any deal data.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStandin } from '../server/salesforce-standin.mjs';
import { launch, readBadge, signIn, startReferenceServer } from './browser.mjs';

const ID = '0065g00000AbCdEAAV';
const DEAL = `https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/${ID}/view`;
// The fixture's on-device score (tests/fixtures/lightning-record-layout-en-us/expected.json).
const DEVICE_NAME = 'Deal health 85 of 100, healthy';
const PENDING_NAME = 'Deal health: waiting for the Customer City analysis';
const DELAY_MS = 2500; // the stand-in API's delay before it answers the analysis

let standin;
let api;
let browser;

before(async () => {
  standin = await startStandin();
  api = await startReferenceServer();
  browser = await launch({ port: standin.port, apiPort: api.port });
});

after(async () => {
  await browser?.context.close().catch(() => {});
  api?.stop();
  await standin?.close();
});

/** Every state the badge is seen in until `done(badge)` holds (first badge to last). */
async function watchBadge(page, done, { timeout = 20000 } = {}) {
  const seen = [];
  const start = Date.now();
  for (;;) {
    const badge = await readBadge(page);
    const at = Date.now() - start;
    if (badge && (!seen.length || seen.at(-1).label !== badge.label || seen.at(-1).text !== badge.text)) {
      seen.push({ at, label: badge.label, text: badge.text, className: badge.className, pieces: badge.pieces });
    }
    if (done(badge)) return seen;
    if (at > timeout) throw new Error(`not done in ${timeout} ms; seen: ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

test('signed out, the on-device score shows at once, never a pending badge', async () => {
  const page = await browser.context.newPage();
  await page.goto(DEAL);
  const seen = await watchBadge(page, (b) => b && b.label === DEVICE_NAME);
  assert.equal(seen[0].label, DEVICE_NAME, `the first badge drawn is the device's score: ${JSON.stringify(seen)}`);
  assert.ok(seen.every((b) => b.label === DEVICE_NAME), `and only it: ${JSON.stringify(seen)}`);
  assert.match(seen[0].className, /tone-healthy/);
  await page.waitForTimeout(1000);
  assert.equal((await readBadge(page)).label, DEVICE_NAME, 'it stays');
  await page.close();
});

test('signed in with no analysis cached, the badge is pending until the analysis, never the device score first', async (t) => {
  await (await signIn(browser)).close();
  const before = (await api.get('/__admin/requests')).filter((r) => r.path === `/v1/opportunities/${ID}/analysis`).length;
  assert.equal(before, 0, 'no analysis of this record was fetched (nor cached) before');
  await api.post('/__admin/faults', JSON.stringify([{ kind: 'latency', count: 1, amount: DELAY_MS, pathPrefix: `/v1/opportunities/${ID}` }]));
  const page = await browser.context.newPage();
  await page.goto(DEAL);
  const analysed = (b) => b && b.text.includes('Customer City analysis ·');
  const seen = await watchBadge(page, analysed);
  t.diagnostic(`seen: ${JSON.stringify(seen.map((b) => [b.at, b.label]))}`);
  const last = seen.at(-1);
  const beforeAnalysis = seen.slice(0, -1);
  // Pending first: "…", the neutral tone, its own accessible name and hover text.
  assert.ok(beforeAnalysis.length >= 1, `a pending badge was drawn before the analysis: ${JSON.stringify(seen)}`);
  for (const badge of beforeAnalysis) {
    assert.equal(badge.label, PENDING_NAME, `only the pending state before the analysis: ${JSON.stringify(seen)}`);
    assert.match(badge.className, /tone-unknown/);
    assert.equal(badge.pieces[0], '…');
    assert.ok(badge.text.includes('Waiting for the analysis from Customer City…'), badge.text);
    assert.ok(!/\b85\b/.test(badge.text), `the device's number is not in the pending badge: ${badge.text}`);
  }
  assert.ok(seen.every((b) => b.label !== DEVICE_NAME), `the device score never showed: ${JSON.stringify(seen)}`);
  // Pending for as long as the API took (the page was drawn well before the answer came).
  assert.ok(last.at - beforeAnalysis[0].at >= DELAY_MS / 2, `pending for ${last.at - beforeAnalysis[0].at} ms`);
  // Then the analysis, with its own score as the accessible name.
  assert.match(last.label, /^Deal health \d+ of 100, (healthy|at risk|critical)$/);
  assert.notEqual(last.label, DEVICE_NAME);
  assert.doesNotMatch(last.className, /tone-unknown/);
  const requests = (await api.get('/__admin/requests')).filter((r) => r.path === `/v1/opportunities/${ID}/analysis`);
  assert.equal(requests.length, 1, 'one analysis request');
  assert.equal(requests[0].bodyBytes, 0, 'the Id only: nothing from the page');
  await page.close();
  await api.clearFaults();
});

test('signed in, a deal the service has no analysis of: pending only until the worker says so, then the on-device score', async (t) => {
  // An Id the reference server does not know: it answers 404, the worker "no analysis". (This
  // fixture carries no record Id of its own, so it stands for any Id in its URL.)
  const unknown = '0065g00000NoAnLAAV';
  const estimate = 'Deal health 0 of 100, critical'; // tests/fixtures/lightning-overdue-critical
  const page = await browser.context.newPage();
  await page.goto(`https://lightning-overdue-critical.lightning.force.com/lightning/r/Opportunity/${unknown}/view`);
  const seen = await watchBadge(page, (b) => b && b.label === estimate);
  t.diagnostic(`seen: ${JSON.stringify(seen.map((b) => [b.at, b.label]))}`);
  const pending = seen.filter((b) => b.label === PENDING_NAME);
  assert.deepEqual(seen.map((b) => b.label), [...pending.map(() => PENDING_NAME), estimate], 'pending, then the estimate, nothing else');
  // Ended by the worker's answer, well before the core's bound (8 s, badge::PENDING_AT_MOST_MS).
  if (pending.length) assert.ok(seen.at(-1).at - pending[0].at < 6000, `pending for ${seen.at(-1).at - pending[0].at} ms`);
  // The estimate with its own explanation, and it stays.
  assert.ok(seen.at(-1).text.includes('0 of 100 · critical'), seen.at(-1).text);
  assert.match(seen.at(-1).className, /tone-critical/);
  await page.waitForTimeout(1000);
  assert.equal((await readBadge(page)).label, estimate);
  const requests = (await api.get('/__admin/requests')).filter((r) => r.path === `/v1/opportunities/${unknown}/analysis`);
  assert.equal(requests.length, 1, 'asked once');
  await page.close();
});

test('signing out takes the analysis off an open record badge at once, without a navigation', async (t) => {
  // Signed in (the second test signed in; signed in here only if that did not run).
  const panel = await browser.context.newPage();
  await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel/index.html`);
  const shown = await panel.waitForSelector('#sign-in:not([hidden]), #sign-out:not([hidden])');
  const signedOut = await shown.evaluate((element) => element.id === 'sign-in');
  await panel.close();
  if (signedOut) await (await signIn(browser)).close();
  const page = await browser.context.newPage();
  await page.goto(DEAL);
  const analysed = (b) => b && b.text.includes('Customer City analysis ·');
  await watchBadge(page, analysed);
  // Signed out from an extension page; the record page is not touched.
  const account = await browser.context.newPage();
  await account.goto(`chrome-extension://${browser.extensionId}/sidepanel/index.html`);
  assert.deepEqual(await account.evaluate(() => chrome.runtime.sendMessage({ type: 'signOut' })), { ok: true });
  const seen = await watchBadge(page, (b) => b && b.label === DEVICE_NAME, { timeout: 5000 });
  t.diagnostic(`seen: ${JSON.stringify(seen.map((b) => [b.at, b.label]))}`);
  assert.ok(!analysed(seen.at(-1)), 'the on-device score, not the analysis');
  await account.close();
  await page.close();
});
