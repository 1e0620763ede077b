// The service worker's policies end to end, against the Rust reference server: cache expiry
// and the sweep alarm, the proactive token refresh, in-flight de-duplication, a worker stopped
// mid-flush (nothing lost, nothing sent twice), and a failing or unreachable server (cached
// analysis shown with its age).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStandin } from '../server/salesforce-standin.mjs';
import { ageCache, eventually, launch, restartWorker, signIn, startReferenceServer, waitForBadge } from './browser.mjs';

let standin;
let api;
let browser;

before(async () => {
  standin = await startStandin();
  api = await startReferenceServer();
  browser = await launch({ port: standin.port, apiPort: api.port });
  await (await signIn(browser)).close(); // a panel left open would follow the tabs and revalidate too
});

after(async () => {
  await browser?.context.close().catch(() => {});
  api?.stop();
  await standin?.close();
});

const DEAL = 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view';
const enriched = (b) => b && b.text.includes('Customer City analysis');
const analysisRequests = async (id) => (await api.get('/__admin/requests')).filter((r) => r.path === `/v1/opportunities/${id}/analysis`);

const age = (hours) => ageCache(browser, hours);

const fire = (name) => browser.worker.evaluate((alarm) => chrome.alarms.create(alarm, { when: Date.now() + 20 }), name);

test('two tabs on one deal make one request; past the time to live it is fetched again', async () => {
  const { context } = browser;
  const before = (await analysisRequests('0065g00000AbCdEAAV')).length;
  const [one, two] = [await context.newPage(), await context.newPage()];
  await Promise.all([one.goto(DEAL), two.goto(DEAL)]);
  await Promise.all([waitForBadge(one, enriched), waitForBadge(two, enriched)]);
  assert.equal((await analysisRequests('0065g00000AbCdEAAV')).length, before + 1, 'one request for two tabs');
  await age(25);
  await one.reload();
  await waitForBadge(one, enriched);
  assert.equal((await analysisRequests('0065g00000AbCdEAAV')).length, before + 2, 'expired after 24 h: fetched again');
  await Promise.all([one.close(), two.close()]);
});

test('a stale analysis is shown at once with its age and revalidated with its ETag (304)', async () => {
  const page = await browser.context.newPage();
  await age(13); // past the 12-hour freshness: shown, and revalidated
  await page.goto(DEAL);
  const { badge } = await waitForBadge(page, enriched);
  assert.match(badge.text, /updated 13 h ago/, badge.text);
  const latest = await eventually(async () => {
    const calls = await analysisRequests('0065g00000AbCdEAAV');
    return calls.at(-1).ifNoneMatch ? calls.at(-1) : null;
  });
  assert.ok(latest.ifNoneMatch, 'revalidated with If-None-Match');
  await page.close();
});

test('the sweep alarm removes expired entries from storage', async () => {
  const { worker } = browser;
  const keys = async () => Object.keys(await browser.worker.evaluate(() => chrome.storage.local.get(null))).filter((k) => k.startsWith('cc.v1.'));
  assert.ok((await keys()).length >= 1, 'something is cached');
  assert.ok(await worker.evaluate(() => chrome.alarms.get('cc.sweepCache')), 'the sweep alarm is scheduled');
  await age(25);
  await fire('cc.sweepCache');
  await eventually(async () => (await keys()).length === 0);
  const { 'cc.cacheIndex': index } = await worker.evaluate(() => chrome.storage.local.get('cc.cacheIndex'));
  assert.deepEqual(index.entries, {});
});

test('the refresh alarm renews the access token before it expires', async () => {
  const { worker } = browser;
  const { session } = await worker.evaluate(() => chrome.storage.local.get('session'));
  const alarm = await worker.evaluate(() => chrome.alarms.get('cc.refreshToken'));
  assert.ok(alarm, 'scheduled at sign-in');
  assert.ok(alarm.scheduledTime < Date.parse(session.accessExpiresAt), 'before expiry');
  const refreshes = async () => (await api.get('/__admin/requests')).filter((r) => r.path === '/v1/auth/refresh').length;
  const before = await refreshes();
  await fire('cc.refreshToken');
  await eventually(async () => (await refreshes()) === before + 1);
  const renewed = await eventually(async () => {
    const now = (await browser.worker.evaluate(() => chrome.storage.local.get('session'))).session;
    return now.refreshToken !== session.refreshToken ? now : null;
  });
  assert.notEqual(renewed.accessToken, session.accessToken);
  const next = await eventually(() => browser.worker.evaluate(() => chrome.alarms.get('cc.refreshToken')));
  assert.ok(next.scheduledTime > Date.now(), 'the next refresh is scheduled');
});

test('a worker stopped while a batch is in flight loses and duplicates nothing', async () => {
  const { worker } = browser;
  const total = 120;
  const base = Date.now() - 5 * 3600 * 1000; // five hours before the (fixed) clock: past the 4 h rule
  // 120 events wait in the queue (as if recorded over a morning). Their times are a second
  // apart, finer than the hour the worker records, so that each can be counted at the server:
  // the worker sends stored events as they are.
  await worker.evaluate(async ([count, start]) => {
    const waiting = Array.from({ length: count }, (_, i) => ({
      name: 'badge_viewed', at: new Date(start + i * 1000).toISOString(), properties: { ui: 'lightning' },
    }));
    await chrome.storage.local.set({ 'cc.analyticsQueue': { waiting, inFlight: null, dropped: 0 } });
  }, [total, base]);
  const recorded = await api.get('/__admin/events');
  // The server receives the first batch but answers slowly: the worker is stopped meanwhile.
  assert.equal(await api.post('/__admin/faults', JSON.stringify([{ kind: 'latency', amount: 3000, pathPrefix: '/v1/events' }])), 204);
  const eventsCalls = async () => (await api.get('/__admin/requests')).filter((r) => r.path === '/v1/events').length;
  const callsBefore = await eventsCalls();
  await fire('cc.flushAnalytics');
  await eventually(async () => (await eventsCalls()) > callsBefore);
  const wake = (page) => page.evaluate(() => chrome.runtime.sendMessage({ type: 'getStatus' }));
  await restartWorker(browser, wake);
  const queue = async () => (await browser.worker.evaluate(() => chrome.storage.local.get('cc.analyticsQueue')))['cc.analyticsQueue'];
  assert.ok((await queue()).inFlight, 'the unacknowledged batch survived the stop');
  // Flush until everything is acknowledged: the first batch again (same Id), then the rest.
  await eventually(async () => {
    const q = await queue();
    if (q.inFlight === null && q.waiting.length === 0) return true;
    await fire('cc.flushAnalytics');
    await new Promise((r) => setTimeout(r, 400));
    return false;
  }, { timeout: 20000 });
  const batches = (await api.get('/__admin/events')).slice(recorded.length);
  const times = batches.flatMap((b) => b.events.map((e) => Date.parse(e.at))).filter((t) => t >= base && t < base + total * 1000);
  assert.equal(times.length, total, 'every event arrived exactly once');
  assert.equal(new Set(times).size, total, 'no event twice');
  const ids = batches.map((b) => b.batchId);
  assert.equal(new Set(ids).size, ids.length, 'the resent batch was recorded once');
});

test('with the server failing or unreachable, the cached analysis stays shown with its age', async () => {
  const { context } = browser;
  const page = await context.newPage();
  await page.goto(DEAL);
  await waitForBadge(page, enriched);
  await page.close();
  await age(13);
  assert.equal(await api.post('/__admin/faults', JSON.stringify([{ kind: '500', count: 20, pathPrefix: '/v1/opportunities/' }])), 204);
  const failing = await context.newPage();
  await failing.goto(DEAL);
  const { badge } = await waitForBadge(failing, enriched);
  assert.match(badge.text, /updated 13 h ago/);
  api.stop();
  await new Promise((r) => setTimeout(r, 200));
  const down = await context.newPage();
  await down.goto(DEAL);
  const shown = await waitForBadge(down, enriched);
  assert.match(shown.badge.text, /updated 13 h ago/);
  // Without a cached analysis the badge stays local and says nothing of the failure.
  const other = await context.newPage();
  await other.goto('https://lightning-overdue-critical.lightning.force.com/lightning/r/Opportunity/0065g00000QwErTAAV/view');
  const local = await waitForBadge(other, (b) => b && b.label);
  await other.waitForTimeout(1500);
  assert.ok(!local.badge.text.includes('Customer City analysis'));
});
