// Server faults through the reference server's fault injection, signed in: 500, 503 and 429
// with Retry-After, malformed, oversized (> 1 MB) and wrong-content-type bodies, timeouts and
// a refused connection. For each: the cached analysis stays shown with its age, retries stay
// bounded (counted on the server), and no analytics event is lost or sent twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStandin } from '../server/salesforce-standin.mjs';
import { ageCache, eventually, launch, signIn, startReferenceServer, waitForBadge } from './browser.mjs';

let standin;
let api;
let browser;

before(async () => {
  standin = await startStandin();
  api = await startReferenceServer();
  browser = await launch({ port: standin.port, apiPort: api.port });
  await (await signIn(browser)).close();
});

after(async () => {
  await browser?.context.close().catch(() => {});
  api?.stop();
  await standin?.close();
});

const ID = '0065g00000AbCdEAAV';
const DEAL = `https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/${ID}/view`;
const enriched = (b) => b && b.text.includes('Customer City analysis');
const attempts = async () => (await api.get('/__admin/requests')).filter((r) => r.path === `/v1/opportunities/${ID}/analysis`).length;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Longer than the longest gap between two attempts that reach the server: 0.5 + 1 + 2 s of
// backoff when the attempts between fail inside the browser.
const QUIET_MS = 4000;

async function view() {
  const page = await browser.context.newPage();
  await page.goto(DEAL);
  const { badge } = await waitForBadge(page, enriched, { timeout: 8000 });
  await page.close();
  return badge;
}

const age = (hours) => ageCache(browser, hours);

/** Waits for an attempt past `since` (on a loaded machine the revalidation can start later
 *  than a quiet period), then until the number of attempts has not moved for `quietMs`;
 *  returns it. */
async function settledAttempts(quietMs, since = -1) {
  if (since >= 0) await eventually(async () => ((await attempts()) > since ? true : null), { timeout: 15000 }).catch(() => {});
  let last = await attempts();
  for (;;) {
    await sleep(quietMs);
    const now = await attempts();
    if (now === last) return now;
    last = now;
  }
}

// kind, the most attempts one view may make (4 = the retry policy's limit; a body that arrives
// but is refused is not retried), the fault's Retry-After.
const FAULTS = [
  ['500', 4], ['503', 4, 1], ['429', 4, 1], ['malformed', 1], ['oversized', 1], ['wrong-content-type', 1],
];

for (const [kind, most, retryAfter] of FAULTS) {
  test(`${kind}: the cached analysis stays shown with its age, ${most === 1 ? 'no retry' : `at most ${most} attempts`}`, async () => {
    await api.clearFaults();
    await view(); // fresh in the cache
    await age(13); // stale: the next view shows it at once and revalidates
    const before = await attempts();
    await api.post('/__admin/faults', JSON.stringify([{ kind, count: 20, amount: retryAfter, pathPrefix: `/v1/opportunities/${ID}` }]));
    const badge = await view();
    assert.match(badge.text, /updated 13 h ago/, 'the last known analysis, with its age');
    // Bounded: at most `most` attempts reach the server (fewer if Chromium fails one before it
    // leaves the browser: the worker counts that as a network error). Waited for until quiet
    // for longer than any gap the retry policy allows (backoff up to 2 s, after a retry that
    // never reached the server), so that no retry of this case runs on into the next.
    const made = (await settledAttempts(QUIET_MS, before)) - before;
    assert.ok(made >= 1 && made <= most, `${made} attempts (at most ${most})`);
    const again = await view();
    assert.match(again.text, /updated 13 h ago/, 'still shown after the failed refresh');
    const more = (await settledAttempts(QUIET_MS, before + made)) - before - made;
    assert.ok(more >= 1 && more <= most, `the second view revalidated once more, as boundedly (${more})`);
    await api.clearFaults();
    await age(-13); // back to fresh for the next case
  });
}

test('a body that never ends: the worker stops reading at the 1 MB cap, the cached analysis stays shown', async () => {
  await api.clearFaults();
  await view();
  await age(13);
  const sentBefore = await api.get('/__admin/endless-bytes');
  const before = await attempts();
  await api.post('/__admin/faults', JSON.stringify([{ kind: 'endless', count: 1, pathPrefix: `/v1/opportunities/${ID}` }]));
  const badge = await view();
  assert.match(badge.text, /updated 13 h ago/, 'the last known analysis, with its age');
  assert.equal((await settledAttempts(QUIET_MS)) - before, 1, 'no retry');
  // What the server got to send before the worker stopped reading: the cap plus what the
  // connection buffers, never the whole 10 s of the timeout (gigabytes on a local link).
  const sent = (await api.get('/__admin/endless-bytes')) - sentBefore;
  assert.ok(sent > 1024 * 1024 && sent < 32 * 1024 * 1024, `${(sent / 1048576).toFixed(1)} MB sent`);
  await api.clearFaults();
  await age(-13);
});

test('a server that never answers: each attempt times out, at most 4, the deal shows its local score', async () => {
  await api.clearFaults();
  const other = '0065g00000QqQqQAAV';
  const count = async () => (await api.get('/__admin/requests')).filter((r) => r.path === `/v1/opportunities/${other}/analysis`).length;
  await api.post('/__admin/faults', JSON.stringify([{ kind: 'latency', count: 8, amount: 12000, pathPrefix: `/v1/opportunities/${other}` }]));
  const before = await count();
  const page = await browser.context.newPage();
  await page.goto(`https://lightning-overdue-critical.lightning.force.com/lightning/r/Opportunity/${other}/view`);
  // Pending while the analysis is on its way; with no answer within the core's bound
  // (badge::PENDING_AT_MOST_MS, 8 s) the local score, never left at "…".
  const { badge, seen, elapsed } = await waitForBadge(page, (b) => b && /^Deal health \d+ of 100/.test(b.label), { timeout: 20000 });
  assert.ok(seen.includes('Deal health: waiting for the Customer City analysis'), `pending first: ${JSON.stringify([...new Set(seen)])}`);
  assert.ok(elapsed >= 6000, `pending until the bound, not the first attempt's failure (${elapsed} ms)`);
  assert.ok(!badge.text.includes('Customer City analysis'), 'the local score');
  // Four attempts of 10 s each, with backoff between them: then the worker gives up.
  await eventually(async () => (await count()) - before >= 4, { timeout: 60000, every: 1000 });
  await sleep(13000);
  assert.equal((await count()) - before, 4, 'no fifth attempt');
  const still = await waitForBadge(page, (b) => b && b.label);
  assert.ok(!still.badge.text.includes('Customer City analysis'));
  await page.close();
  await api.clearFaults();
});

test('analytics batches refused by the server stay queued and arrive exactly once', async () => {
  const { worker } = browser;
  const base = Date.now() - 5 * 3600 * 1000; // old enough for the alarm to send a partial batch
  const total = 60;
  await worker.evaluate(async ([count, start]) => {
    const waiting = Array.from({ length: count }, (_, i) => ({
      name: 'badge_viewed', at: new Date(start + i * 1000).toISOString(), properties: { band: 'healthy', ui: 'lightning' },
    }));
    await chrome.storage.local.set({ 'cc.analyticsQueue': { waiting, inFlight: null, dropped: 0 } });
  }, [total, base]);
  const recorded = (await api.get('/__admin/events')).length;
  const fire = () => worker.evaluate(() => chrome.alarms.create('cc.flushAnalytics', { when: Date.now() + 20 }));
  const queue = async () => (await worker.evaluate(() => chrome.storage.local.get('cc.analyticsQueue')))['cc.analyticsQueue'];
  for (const kind of ['500', '503', 'malformed', 'wrong-content-type']) {
    await api.post('/__admin/faults', JSON.stringify([{ kind, count: 1, amount: 0, pathPrefix: '/v1/events' }]));
    const calls = (await api.get('/__admin/requests')).filter((r) => r.path === '/v1/events').length;
    await fire();
    await eventually(async () => (await api.get('/__admin/requests')).filter((r) => r.path === '/v1/events').length > calls);
    await sleep(300);
    const q = await queue();
    assert.ok(q.inFlight || q.waiting.length === total, `after a ${kind}, the batch is kept`);
  }
  await api.clearFaults();
  await eventually(async () => {
    const q = await queue();
    if (q.inFlight === null && q.waiting.length === 0) return true;
    await fire();
    await sleep(400);
    return false;
  }, { timeout: 20000 });
  const batches = (await api.get('/__admin/events')).slice(recorded);
  const times = batches.flatMap((b) => b.events.map((e) => Date.parse(e.at))).filter((t) => t >= base && t < base + total * 1000);
  assert.equal(times.length, total, 'every event arrived');
  assert.equal(new Set(times).size, total, 'none twice');
});

test('a Retry-After longer than a view waits holds every later request until it passes', async () => {
  await api.clearFaults();
  await view();
  await age(13);
  const before = await attempts();
  const refreshesBefore = (await api.get('/__admin/requests')).filter((r) => r.path === '/v1/auth/refresh').length;
  await api.post('/__admin/faults', JSON.stringify([{ kind: '503', count: 20, amount: 300, pathPrefix: '/v1/' }]));
  const first = await view();
  assert.match(first.text, /updated 13 h ago/);
  assert.equal((await settledAttempts(QUIET_MS)) - before, 1, 'one attempt: five minutes is too long to wait within a view');
  const hold = (await browser.worker.evaluate(() => chrome.storage.local.get('cc.holdUntil')))['cc.holdUntil'];
  assert.ok(hold && Date.parse(hold.until) > Date.now() + 200000, `the hold is stored: ${JSON.stringify(hold)}`);
  // Another view, another deal, an analytics flush and a token refresh: none reaches the
  // server while the hold lasts; the cached analysis stays shown.
  const again = await view();
  assert.match(again.text, /updated 13 h ago/, 'still shown');
  await browser.worker.evaluate(() => chrome.alarms.create('cc.flushAnalytics', { when: Date.now() + 10 }));
  await browser.worker.evaluate(() => chrome.alarms.create('cc.refreshToken', { when: Date.now() + 10 }));
  // The refresh alarm has fired and, held, set itself again for when the hold ends.
  const alarm = await eventually(async () => {
    const next = await browser.worker.evaluate(() => chrome.alarms.get('cc.refreshToken'));
    return next && next.scheduledTime >= Date.parse(hold.until) - 1000 ? next : null;
  }, { timeout: 10000 });
  assert.ok(alarm, 'the refresh is rescheduled after the hold');
  const apiCalls = (await api.get('/__admin/requests')).filter((r) => r.path.startsWith('/v1/'));
  assert.equal(apiCalls.filter((r) => r.path === `/v1/opportunities/${ID}/analysis`).length - before, 1, 'no second attempt');
  assert.equal(apiCalls.filter((r) => r.path === '/v1/auth/refresh').length, refreshesBefore, 'no refresh');
  // Once the hold has passed (moved into the past here), requests flow again.
  await api.clearFaults();
  await browser.worker.evaluate(() => chrome.storage.local.set({ 'cc.holdUntil': { origin: 'https://api.customercity.com', until: new Date(Date.now() - 1000).toISOString() } }));
  await view();
  assert.ok((await settledAttempts(1000)) - before >= 2, 'asked again after the hold');
  await age(-13);
});

test('a token refresh that fails (500, no refusal) is tried again by its alarm', async () => {
  await api.clearFaults();
  const refreshes = async () => (await api.get('/__admin/requests')).filter((r) => r.path === '/v1/auth/refresh').length;
  const before = await refreshes();
  await api.post('/__admin/faults', JSON.stringify([{ kind: '500', count: 1, pathPrefix: '/v1/auth/refresh' }]));
  await browser.worker.evaluate(() => chrome.alarms.create('cc.refreshToken', { when: Date.now() + 10 }));
  await eventually(async () => (await refreshes()) > before, { timeout: 5000 });
  // The alarm that fired is gone; the one set after the failure is a minute or two away.
  const alarm = await eventually(async () => {
    const next = await browser.worker.evaluate(() => chrome.alarms.get('cc.refreshToken'));
    return next && next.scheduledTime > Date.now() + 30000 ? next : null;
  }, { timeout: 5000 });
  const inSeconds = (alarm.scheduledTime - Date.now()) / 1000;
  assert.ok(inSeconds > 30 && inSeconds < 130, `tried again in ${Math.round(inSeconds)} s`);
  assert.ok((await browser.worker.evaluate(() => chrome.storage.local.get('session'))).session, 'still signed in');
});

test('a refused connection: the cached analysis is shown with its age, nothing hangs', async () => {
  await api.clearFaults();
  await view();
  await age(13);
  api.stop();
  await sleep(200);
  const started = Date.now();
  const badge = await view();
  assert.match(badge.text, /updated 13 h ago/);
  assert.ok(Date.now() - started < 8000, 'shown at once, not after the retries');
});
