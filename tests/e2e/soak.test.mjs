// Worker lifecycle soak: the service worker is stopped (as Chrome stops an idle worker) at a
// random point during an analytics flush, a token refresh or a sign-in, SOAK_RESTARTS times in
// all (50 by default; the long form: SOAK_RESTARTS=500 node --test tests/e2e/soak.test.mjs).
// Checked on the server's record: no analytics event lost or sent twice; in storage: the cache
// index and every entry it names intact; in the page: nothing stuck loading.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStandin } from '../server/salesforce-standin.mjs';
import { confirmConnect, eventually, launch, restartWorker, signIn, startReferenceServer, waitForBadge } from './browser.mjs';

const RESTARTS = Number(process.env.SOAK_RESTARTS || 50);
const SEED = Number(process.env.SOAK_SEED || Date.now() % 100000);

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

// A small seeded generator, so that a failing run can be replayed with SOAK_SEED.
let state = SEED;
const random = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until no request has reached the API for 600 ms (fails after 10 s). Expiring the access
 *  tokens stands for an hour passing. It must not land between a token refresh and the retry
 *  that follows it milliseconds later, where no hour can pass: the core would rightly take the
 *  renewed token's refusal as the end of the session (a second 401), and the run would end
 *  signed out for a reason no user meets. */
async function apiQuiet() {
  const count = async () => (await api.get('/__admin/requests')).filter((r) => !r.path.startsWith('/__admin')).length;
  let last = await count();
  let since = Date.now();
  for (const end = Date.now() + 10000; Date.now() < end;) {
    await sleep(100);
    const now = await count();
    if (now !== last) [last, since] = [now, Date.now()];
    else if (Date.now() - since >= 600) return;
  }
  throw new Error('the API never went quiet for 600 ms in 10 s');
}

const DEALS = [
  ['lightning-record-layout-en-us', '0065g00000AbCdEAAV'],
  ['lightning-overdue-critical', '0065g00000QwErTAAV'],
  ['lightning-dynamic-forms-en-us', '0065g00000AbCdE'],
];
const dealUrl = ([slug, id]) => `https://${slug}.lightning.force.com/lightning/r/Opportunity/${id}/view`;
const wake = (page) => page.evaluate(() => chrome.runtime.sendMessage({ type: 'getStatus' }));
const fire = () => browser.worker.evaluate(() => chrome.alarms.create('cc.flushAnalytics', { when: Date.now() + 10 }));
const local = (keys) => browser.worker.evaluate((k) => chrome.storage.local.get(k), keys);

/** Storage is consistent: the index is of this schema and every entry it names with a body is
 *  stored and decodes as JSON (a deal's as that deal's analysis); and every cache body stored
 *  is named by the index, once the restarted worker has swept (a stop between an index write
 *  and a removal may leave one for that long, never longer). */
async function assertCacheIntact() {
  const orphans = async () => {
    const stored = await local(null);
    const named = stored['cc.cacheIndex']?.entries ?? {};
    return Object.keys(stored).filter((key) => /^cc\.v\d+\./.test(key) && !(key in named));
  };
  try {
    await eventually(async () => (await orphans()).length === 0, { timeout: 5000 });
  } catch {
    assert.deepEqual(await orphans(), [], 'every stored cache body is named by the index');
  }
  const all = await local(null);
  const index = all['cc.cacheIndex'];
  if (!index) return;
  assert.equal(index.version, 1);
  for (const [key, meta] of Object.entries(index.entries)) {
    if (meta.bytes === 0) continue; // a remembered 404
    assert.ok(typeof all[key] === 'string', `${key} is stored`);
    const body = JSON.parse(all[key]);
    if (key.includes('.deal:')) assert.equal(body.opportunityId.slice(0, 15), key.slice(-15), `${key} holds its own deal`);
  }
}

/** Nothing stuck: a view of a deal gets its enriched badge (one reload allowed, as a user would). */
async function assertNotStuck(deal) {
  const page = await browser.context.newPage();
  await page.goto(dealUrl(deal));
  try {
    await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'), { timeout: 6000 });
  } catch {
    await page.reload();
    await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'), { timeout: 8000 });
  }
  await page.close();
}

test(`the worker stopped ${RESTARTS} times during flushes, refreshes and sign-ins (seed ${SEED})`, async () => {
  const total = 800; // events seeded in the queue (under its cap of 1000), old enough to be sent on any alarm
  const base = Date.now() - 6 * 3600 * 1000;
  await browser.worker.evaluate(async ([count, start]) => {
    const waiting = Array.from({ length: count }, (_, i) => ({
      name: 'badge_viewed', at: new Date(start + i).toISOString(), properties: { band: 'healthy', ui: 'lightning' },
    }));
    await chrome.storage.local.set({ 'cc.analyticsQueue': { waiting, inFlight: null, dropped: 0 } });
  }, [total, base]);
  const recordedBefore = (await api.get('/__admin/events')).length;
  const signInRounds = Math.max(1, Math.round(RESTARTS / 5));
  const counts = { flush: 0, refresh: 0, signIn: 0 };

  // Flushes and refreshes, interleaved, each cut by a stop at a random moment.
  for (let round = 0; round < RESTARTS - signInRounds; round += 1) {
    const pages = [];
    if (random() < 0.5) {
      counts.flush += 1;
      await api.post('/__admin/faults', JSON.stringify([{ kind: 'latency', amount: Math.floor(random() * 1500), pathPrefix: '/v1/events' }]));
      await fire();
    } else {
      counts.refresh += 1;
      await apiQuiet();
      await api.post('/__admin/expire-tokens');
      const page = await browser.context.newPage();
      pages.push(page);
      page.goto(dealUrl(DEALS[Math.floor(random() * DEALS.length)]) + `?r=${round}`).catch(() => {});
      // A stale cache makes the view ask the server (and so refresh the token).
      await browser.worker.evaluate(async () => {
        const { 'cc.cacheIndex': index } = await chrome.storage.local.get('cc.cacheIndex');
        if (!index) return;
        for (const meta of Object.values(index.entries)) meta.storedAt = new Date(Date.now() - 13 * 3600 * 1000).toISOString();
        await chrome.storage.local.set({ 'cc.cacheIndex': index });
      }).catch(() => {});
    }
    await sleep(Math.floor(random() * 1200));
    await restartWorker(browser, wake);
    for (const page of pages) await page.close().catch(() => {});
    await assertCacheIntact();
  }
  await api.clearFaults();

  // Drain: every seeded event arrives exactly once.
  const queue = async () => (await local('cc.analyticsQueue'))['cc.analyticsQueue'];
  try {
    await eventually(async () => {
      const q = await queue();
      if (q && q.inFlight === null && q.waiting.every((e) => Date.parse(e.at) >= base + total)) return true;
      await fire();
      await sleep(300);
      return false;
    }, { timeout: 60000, every: 100 });
  } catch (error) {
    // What was stuck, for the next person: the queue, the session, the server's last answers.
    const q = await queue();
    const { session } = await local('session');
    const recent = (await api.get('/__admin/requests')).slice(-8).map((r) => `${r.method} ${r.path}`);
    console.log(`soak: drain stuck: inFlight ${q?.inFlight ? q.inFlight.events.length : null}, waiting ${q?.waiting.length}, signed in ${Boolean(session)}, last requests ${JSON.stringify(recent)}`);
    throw error;
  }
  const batches = (await api.get('/__admin/events')).slice(recordedBefore);
  const seen = batches.flatMap((b) => b.events.map((e) => Date.parse(e.at))).filter((t) => t >= base && t < base + total);
  const lost = total - new Set(seen).size;
  const duplicated = seen.length - new Set(seen).size;
  console.log(`soak: ${counts.flush} stops during flushes, ${counts.refresh} during refreshes; ${total} events, ${lost} lost, ${duplicated} duplicated`);
  assert.equal(lost, 0, 'no event lost');
  assert.equal(duplicated, 0, 'no event twice');
  await assertNotStuck(DEALS[0]);

  // Sign-ins cut by a stop: the user may have to press the button again, never more.
  for (let round = 0; round < signInRounds; round += 1) {
    counts.signIn += 1;
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel/index.html`);
    await panel.evaluate(() => chrome.runtime.sendMessage({ type: 'signOut' }));
    await panel.waitForSelector('#sign-in:not([hidden])');
    const connectPage = browser.context.waitForEvent('page');
    await panel.click('#sign-in');
    const webApp = await connectPage;
    await confirmConnect(webApp);
    await sleep(Math.floor(random() * 800));
    await restartWorker(browser, wake);
    await webApp.waitForFunction(() => document.getElementById('status').textContent !== '', null, { timeout: 10000 }).catch(() => {});
    await webApp.close();
    const { session } = await local('session');
    if (!session) await (await signIn(browser)).close(); // pressed again: must work
    else await panel.waitForSelector('#sign-out:not([hidden])', { timeout: 5000 });
    assert.ok((await local('session')).session, 'signed in');
    await panel.close();
    await assertCacheIntact();
  }
  await assertNotStuck(DEALS[1]);
  console.log(`soak: ${counts.flush + counts.refresh + counts.signIn} restarts survived (${counts.signIn} during sign-in)`);
});
