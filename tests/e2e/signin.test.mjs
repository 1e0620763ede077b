// Sign-in end to end: side panel → web app hand-off (externally_connectable) → PKCE code
// exchange by the worker → session stored where content scripts are refused. Against the Rust
// reference server (tests/reference-server) under the real Customer City host names.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStandin } from '../server/salesforce-standin.mjs';
import { ageCache, confirmConnect, eventually, launch, readBadge, startReferenceServer, waitForBadge } from './browser.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

test('signing in from the side panel stores a session the content script cannot read', async () => {
  const { context, worker, extensionId } = browser;
  const panel = await context.newPage();
  await panel.goto(`chrome-extension://${extensionId}/sidepanel/index.html`);
  await panel.waitForFunction(() => document.getElementById('status').textContent.startsWith('Signed out'));

  const connectPage = context.waitForEvent('page');
  await panel.click('#sign-in');
  const webApp = await connectPage;
  await webApp.waitForLoadState();
  assert.match(webApp.url(), /^https:\/\/app\.customercity\.com\/extension\/connect\?extensionId=[a-p]{32}&state=[\w-]{43}&codeChallenge=[\w-]{43}$/);
  assert.equal(await webApp.textContent('#extension-id'), extensionId, 'the page names the extension being connected');
  await confirmConnect(webApp);
  await webApp.waitForFunction(() => document.getElementById('status').textContent.startsWith('Connected'));
  await panel.waitForFunction(() => document.getElementById('status').textContent.startsWith('Signed in'));

  const stored = await worker.evaluate(() => chrome.storage.local.get('session'));
  assert.match(stored.session.accessToken, /^cc_at_/);
  assert.match(stored.session.refreshToken, /^cc_rt_/);
  const pending = await worker.evaluate(() => chrome.storage.session.get('pendingSignIn'));
  assert.deepEqual(pending, {}, 'the pending state is used once');

  // The content script's world is refused the extension's storage.
  const page = await context.newPage();
  await page.goto('https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  await waitForBadge(page, (b) => b && b.label);
  const cdp = await context.newCDPSession(page);
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', (event) => contexts.push(event.context));
  await cdp.send('Runtime.enable');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const isolated = contexts.find((c) => c.name === 'Customer City Deal Health');
  assert.ok(isolated, 'the content script world exists');
  const { result } = await cdp.send('Runtime.evaluate', {
    contextId: isolated.id,
    awaitPromise: true,
    expression: "chrome.storage.local.get('session').then((v) => 'read: ' + JSON.stringify(v), (e) => 'refused: ' + e.message)",
  });
  assert.match(result.value, /^refused/, result.value);
  // And the page itself has no channel to the extension (not externally connectable).
  assert.equal(await page.evaluate(() => typeof (globalThis.chrome && chrome.runtime && chrome.runtime.sendMessage)), 'undefined');

  // The server saw the code exchange and, for the page, one analysis request: the Id only.
  const requests = await api.get('/__admin/requests');
  // (The panel, left open in a tab, follows the active tab and also asks for the portfolio and
  // the descriptions of factors and blind spots.)
  const apiCalls = requests.filter((r) => r.path.startsWith('/v1/') && r.path !== '/v1/portfolio' && r.path !== '/v1/descriptions');
  assert.deepEqual(apiCalls.map((r) => `${r.method} ${r.path}`), [
    'POST /v1/auth/token',
    'GET /v1/opportunities/0065g00000AbCdEAAV/analysis',
  ]);
  const analysisCall = apiCalls[1];
  assert.equal(analysisCall.authorization, true);
  assert.equal(analysisCall.bodyBytes, 0, 'nothing from the page in a body');
  assert.deepEqual(analysisCall.query, [['ai', 'include']]);
  assert.equal(analysisCall.acceptLanguage, 'en', 'and the language its text is wanted in');
});

test('signed in, the badge upgrades to the enriched score; a second view makes no request', async () => {
  const { context } = browser;
  const page = await context.newPage();
  const url = 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view';
  await page.goto(url);
  const { badge } = await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'));
  assert.match(badge.label, /^Deal health \d+ of 100, (healthy|at risk|critical)$/);
  const before = (await api.get('/__admin/requests')).filter((r) => r.path.includes('/analysis')).length;
  await page.reload();
  await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'));
  const after = (await api.get('/__admin/requests')).filter((r) => r.path.includes('/analysis')).length;
  assert.equal(after, before, 'served from the cache');
  // Another record: one more request, and its own enriched score.
  await page.goto('https://lightning-overdue-critical.lightning.force.com/lightning/r/Opportunity/0065g00000QwErTAAV/view');
  await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'));
  const third = (await api.get('/__admin/requests')).filter((r) => r.path.includes('/analysis'));
  assert.equal(third.length, after + 1);
  assert.equal(third.at(-1).path, '/v1/opportunities/0065g00000QwErTAAV/analysis');
});

test('an expired access token is refreshed once (rotated) and the request retried', async () => {
  const { context, worker } = browser;
  const before = await worker.evaluate(() => chrome.storage.local.get('session'));
  assert.equal(await api.post('/__admin/expire-tokens'), 204);
  const seen = (await api.get('/__admin/requests')).length;
  const page = await context.newPage();
  await page.goto('https://lightning-stale-page-de-de.lightning.force.com/lightning/r/Opportunity/0065g00000ZxCvBAAV/view');
  await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'));
  // The side panel left open by the first test follows this tab and asks for the portfolio,
  // which may meet the expired token first: whichever request does, one refresh serves both.
  const traffic = (await api.get('/__admin/requests')).slice(seen).filter((r) => !r.path.startsWith('/__admin/') && r.path !== '/v1/portfolio')
    .map((r) => `${r.method} ${r.path}`);
  const analysis = 'GET /v1/opportunities/0065g00000ZxCvBAAV/analysis';
  assert.deepEqual(traffic.filter((r) => r === 'POST /v1/auth/refresh'), ['POST /v1/auth/refresh'], JSON.stringify(traffic));
  assert.ok([[analysis, 'POST /v1/auth/refresh', analysis], ['POST /v1/auth/refresh', analysis]]
    .some((expected) => JSON.stringify(expected) === JSON.stringify(traffic)), JSON.stringify(traffic));
  const after = await worker.evaluate(() => chrome.storage.local.get('session'));
  assert.notEqual(after.session.accessToken, before.session.accessToken);
  assert.notEqual(after.session.refreshToken, before.session.refreshToken, 'rotated');
});

test('an analytics flush with an expired token refreshes it once and resends the same batch', async () => {
  const { worker } = browser;
  const at = Date.now() - 5 * 3600 * 1000; // overdue: the alarm sends it
  await worker.evaluate(async (start) => {
    const old = Array.from({ length: 3 }, (_, i) => ({ name: 'badge_viewed', at: new Date(start + i).toISOString(), properties: { ui: 'lightning' } }));
    const { 'cc.analyticsQueue': queue } = await chrome.storage.local.get('cc.analyticsQueue');
    const waiting = [...old, ...(queue?.waiting ?? [])]; // the oldest first: the batch is overdue
    await chrome.storage.local.set({ 'cc.analyticsQueue': { waiting, inFlight: null, dropped: 0 } });
  }, at);
  assert.equal(await api.post('/__admin/expire-tokens'), 204);
  const seen = (await api.get('/__admin/requests')).length;
  const recorded = (await api.get('/__admin/events')).length;
  await worker.evaluate(() => chrome.alarms.create('cc.flushAnalytics', { when: Date.now() + 10 }));
  await eventually(async () => (await api.get('/__admin/events')).length > recorded, { timeout: 10000 });
  const traffic = (await api.get('/__admin/requests')).slice(seen).filter((r) => !r.path.startsWith('/__admin/'));
  assert.deepEqual(traffic.map((r) => `${r.method} ${r.path}`), ['POST /v1/events', 'POST /v1/auth/refresh', 'POST /v1/events']);
  const batches = (await api.get('/__admin/events')).slice(recorded);
  assert.equal(batches.length, 1);
  assert.deepEqual(batches[0].events.slice(0, 3).map((e) => Date.parse(e.at)), [at, at + 1, at + 2]);
  await eventually(async () => (await worker.evaluate(() => chrome.storage.local.get('cc.analyticsQueue')))['cc.analyticsQueue'].inFlight === null);
});

test('a 503 with Retry-After is waited for and retried, once', async () => {
  const { context } = browser;
  const faults = JSON.stringify([{ kind: '503', amount: 1, pathPrefix: '/v1/opportunities/' }]);
  assert.equal(await api.post('/__admin/faults', faults), 204);
  const seen = (await api.get('/__admin/requests')).length;
  const page = await context.newPage();
  const started = Date.now();
  await page.goto('https://lightning-dynamic-forms-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000QqQqQAAV/view');
  await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'), { timeout: 8000 });
  assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
  const traffic = (await api.get('/__admin/requests')).slice(seen).filter((r) => !r.path.startsWith('/__admin/') && r.path !== '/v1/portfolio');
  assert.deepEqual(traffic.map((r) => r.path), ['/v1/opportunities/0065g00000QqQqQAAV/analysis', '/v1/opportunities/0065g00000QqQqQAAV/analysis']);
});

test('a token refresh the server fails (503) or cannot be reached keeps the user signed in', async () => {
  const { context, worker } = browser;
  const url = 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view';
  const requests = async (since) => (await api.get('/__admin/requests')).slice(since).filter((r) => !r.path.startsWith('/__admin/'));
  for (const fault of [{ kind: '503', amount: 1 }, { kind: 'latency', amount: 12000 }]) {
    assert.equal(await api.post('/__admin/expire-tokens'), 204);
    // More failures armed than the view can ask for: no refresh of this case succeeds.
    await api.post('/__admin/faults', JSON.stringify([{ ...fault, count: 20, pathPrefix: '/v1/auth/refresh' }]));
    const seen = (await api.get('/__admin/requests')).length;
    const page = await context.newPage();
    try {
      await ageCache(browser, 13); // stale: the view revalidates, and so needs a token
      await page.goto(url);
      await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'), { timeout: 8000 });
      // Generous: the revalidation waits out any hold an earlier 503 asked for, and a loaded
      // machine starts the worker late; what is asserted is what happens after it.
      await eventually(async () => (await requests(seen)).some((r) => r.path === '/v1/auth/refresh'), { timeout: 15000 });
      await sleep(fault.kind === 'latency' ? 11000 : 1500); // past the refresh's 10 s timeout
      const { session } = await worker.evaluate(() => chrome.storage.local.get('session'));
      assert.ok(session?.refreshToken, `${fault.kind}: still signed in`);
      assert.match((await readBadge(page)).text, /Customer City analysis/, `${fault.kind}: the last analysis stays shown`);
      // Bounded: one refresh at most per request that met the expired token, none in a loop
      // (the side panel left open by an earlier test asks for the deal and the portfolio again
      // as the tab loads).
      const made = await requests(seen);
      const refreshes = made.filter((r) => r.path === '/v1/auth/refresh').length;
      const asked = made.length - refreshes;
      assert.ok(refreshes >= 1 && refreshes <= asked && asked <= 8, `${fault.kind}: ${refreshes} refreshes for ${asked} requests`);
    } finally {
      // Fresh again before the tab closes: the side panel (open since an earlier test) then
      // follows another tab, and must find nothing to fetch that a later test's fault would meet.
      await ageCache(browser, -13);
      await api.clearFaults();
      await page.close();
    }
  }
  // The server is back: the next view (of a stale analysis) renews the token and fetches.
  const seen = (await api.get('/__admin/requests')).length;
  await ageCache(browser, 13);
  const page = await context.newPage();
  await page.goto(url);
  await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'));
  await eventually(async () => (await requests(seen)).some((r) => r.path === '/v1/auth/refresh'), { timeout: 5000 });
  // An analysis fetched after the refresh (the request that met the expired token first may be
  // the side panel's portfolio or this analysis).
  await eventually(async () => {
    const made = await requests(seen);
    const refreshed = made.findIndex((r) => r.path === '/v1/auth/refresh');
    return made.slice(refreshed + 1).some((r) => r.path.endsWith('/analysis'));
  }, { timeout: 5000 });
  assert.ok((await worker.evaluate(() => chrome.storage.local.get('session'))).session?.refreshToken, 'signed in');
  await ageCache(browser, -13);
  await page.close();
});

// The alarm sends a batch once 50 events wait or the oldest has waited 4 hours: the queued
// events are made 5 hours old first (as if recorded in the morning).
async function flushNow(worker) {
  await worker.evaluate(async () => {
    const { 'cc.analyticsQueue': queue } = await chrome.storage.local.get('cc.analyticsQueue');
    if (queue) {
      for (const event of queue.waiting) event.at = new Date(Date.parse(event.at) - 5 * 3600 * 1000).toISOString();
      await chrome.storage.local.set({ 'cc.analyticsQueue': queue });
    }
    await chrome.alarms.create('cc.flushAnalytics', { when: Date.now() + 50 });
  });
}

test('analytics: anonymous, allow-listed batches are sent while signed in', async () => {
  const { context, worker } = browser;
  const page = await context.newPage();
  await page.goto('https://classic-en-us.my.salesforce.com/0065g00000AbCdE');
  const earlier = (await api.get('/__admin/events')).length; // batches of seeded events too
  await waitForBadge(page, (b) => b && b.label);
  await page.waitForTimeout(300);
  await flushNow(worker);
  let batches = [];
  for (let i = 0; i < 60 && batches.length <= earlier; i++) {
    await new Promise((r) => setTimeout(r, 100));
    batches = await api.get('/__admin/events');
  }
  assert.ok(batches.length > earlier, 'a batch arrived');
  const events = batches.flatMap((b) => b.events);
  assert.ok(events.some((e) => e.name === 'badge_viewed' && e.properties.ui === 'classic'));
  // Nothing computed from the deal (issue 15: the score's band named it).
  const allowed = { badge_viewed: ['ui'], signed_in: [] };
  for (const event of events) {
    assert.ok(event.name in allowed, event.name);
    assert.deepEqual(Object.keys(event.properties).sort(), allowed[event.name]);
  }
  // Recorded by the worker (not seeded into its storage): whole hours only, batch and event.
  for (const batch of batches.slice(earlier)) {
    assert.equal(Date.parse(batch.sentAt) % 3600000, 0, `sent at ${batch.sentAt}: the hour only`);
    for (const event of batch.events) assert.equal(Date.parse(event.at) % 3600000, 0, `${event.name} at ${event.at}: the hour only`);
  }
  assert.ok(events.some((e) => e.name === 'signed_in'), 'the sign-in was counted');
  const raw = JSON.stringify(batches);
  for (const leak of ['006', 'force.com', 'salesforce.com', 'Acme', 'Jane']) assert.ok(!raw.includes(leak), `"${leak}" in analytics`);
  const stored = await worker.evaluate(() => chrome.storage.local.get('cc.analyticsQueue'));
  assert.equal(stored['cc.analyticsQueue'].inFlight, null, 'the batch was acknowledged');
});

test('analytics: with feature_analyticsOptOut set, nothing is recorded or sent and the queue is purged', async () => {
  const { context, worker } = browser;
  const sent = (await api.get('/__admin/requests')).filter((r) => r.path === '/v1/events').length;
  // An event waits in the queue...
  const first = await context.newPage();
  await first.goto('https://lightning-fr-fr.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  await waitForBadge(first, (b) => b && b.label);
  let queued = 0;
  for (let i = 0; i < 40 && queued === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const q = (await worker.evaluate(() => chrome.storage.local.get('cc.analyticsQueue')))['cc.analyticsQueue'];
    queued = q ? q.waiting.length : 0;
  }
  assert.ok(queued >= 1, 'an event is queued before the opt-out');
  // ...and the opt-out drops it at once.
  await worker.evaluate(() => chrome.storage.local.set({ feature_analyticsOptOut: true }));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await worker.evaluate(() => chrome.storage.local.get('cc.analyticsQueue')))['cc.analyticsQueue'], undefined, 'purged at once');
  const page = await context.newPage();
  await page.goto('https://classic-de-labels.my.salesforce.com/0065g00000AbCdEAAV');
  await waitForBadge(page, (b) => b && b.label);
  await page.waitForTimeout(300);
  await flushNow(worker);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await api.get('/__admin/requests')).filter((r) => r.path === '/v1/events').length, sent, 'no /v1/events request');
  const stored = await worker.evaluate(() => chrome.storage.local.get('cc.analyticsQueue'));
  assert.equal(stored['cc.analyticsQueue'], undefined, 'the queue is gone');
  await worker.evaluate(() => chrome.storage.local.remove('feature_analyticsOptOut'));
});

test('a hand-off replayed or from another origin is refused', async () => {
  const { context, worker } = browser;
  const before = await worker.evaluate(() => chrome.storage.local.get('session'));
  // Replay: the web app page sends an old code again; no sign-in is pending any more.
  const webApp = await context.newPage();
  await webApp.goto(`https://app.customercity.com/extension/connect?extensionId=${browser.extensionId}&state=forged&codeChallenge=abc`);
  await confirmConnect(webApp);
  await webApp.waitForFunction(() => document.getElementById('status').textContent.startsWith('The extension refused'));
  assert.equal(await webApp.textContent('#status'), 'The extension refused: notPending'); // auth::HandOffError
  const after = await worker.evaluate(() => chrome.storage.local.get('session'));
  assert.deepEqual(after, before, 'the session is unchanged');
  const requests = await api.get('/__admin/requests');
  assert.equal(requests.filter((r) => r.path === '/v1/auth/token').length, 1, 'no second exchange');
});

test('signing out removes tokens and cached analyses, revokes, and the badge is local again', async () => {
  const { context, worker, extensionId } = browser;
  const stored = await worker.evaluate(() => chrome.storage.local.get(null));
  assert.ok(stored.session, 'signed in before');
  assert.ok(Object.keys(stored).some((key) => key.startsWith('cc.v1.deal:')), 'analyses cached before');
  const panel = await context.newPage();
  await panel.goto(`chrome-extension://${extensionId}/sidepanel/index.html`);
  await panel.click('#sign-out');
  await panel.waitForFunction(() => document.getElementById('status').textContent.startsWith('Signed out'));
  // Nothing but the sign-out generation (a counter: work started before the sign-out writes
  // nothing back, background/state.js) and the administrator's policy as last read (none
  // here; docs/admin.md).
  const left = await worker.evaluate(() => chrome.storage.local.get(null));
  assert.deepEqual(Object.keys(left).sort(), ['cc.policyCopy', 'cc.signOutEpoch'], 'nothing else left in local storage');
  assert.deepEqual(left['cc.policyCopy'], {});
  assert.equal(typeof left['cc.signOutEpoch'], 'number');
  const revoked = async () => (await api.get('/__admin/requests')).filter((r) => r.path === '/v1/auth/revoke').length;
  for (let i = 0; i < 40 && (await revoked()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await revoked(), 1, 'the refresh token was revoked');

  const apiTraffic = async () => (await api.get('/__admin/requests')).filter((r) => !r.path.startsWith('/__admin/')).length;
  const before = await apiTraffic();
  const page = await context.newPage();
  await page.goto('https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  await waitForBadge(page, (b) => b && b.label);
  await page.waitForTimeout(500); // time for an (unwanted) upgrade to show
  const settled = await readBadge(page);
  assert.ok(!settled.text.includes('Customer City analysis'), settled.text);
  assert.equal(await apiTraffic(), before, 'signed out: no request');
});
