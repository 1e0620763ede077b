// The analytics opt-out fails closed (SECURITY.md, "Analytics"): any value of
// `feature_analyticsOptOut` that JavaScript calls true opts out (and purges the queue), and a
// managed policy that cannot be read pauses analytics (nothing sent) without purging the queue,
// which is sent once the policy can be read again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStandin } from '../server/salesforce-standin.mjs';
import { eventually, launch, signIn, startReferenceServer } from './browser.mjs';

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const queue = async () => (await browser.worker.evaluate(() => chrome.storage.local.get('cc.analyticsQueue')))['cc.analyticsQueue'];
const eventRequests = async () => (await api.get('/__admin/requests')).filter((r) => r.path === '/v1/events').length;
const flushNow = () => browser.worker.evaluate(() => chrome.alarms.create('cc.flushAnalytics', { when: Date.now() + 10 }));
// The worker keeps the settings until storage says they changed: a change of an unrelated
// preference makes it read them again.
const rereadSettings = () => browser.worker.evaluate(async () => {
  const { 'cc.declineAi': declined = false } = await chrome.storage.local.get('cc.declineAi');
  await chrome.storage.local.set({ 'cc.declineAi': !declined });
  await chrome.storage.local.set({ 'cc.declineAi': declined });
});

/** Five events old enough to be sent on any alarm. */
async function seedQueue() {
  await browser.worker.evaluate(async (start) => {
    const waiting = Array.from({ length: 5 }, (_, i) => ({ name: 'side_panel_opened', at: new Date(start + i * 1000).toISOString(), properties: {} }));
    await chrome.storage.local.set({ 'cc.analyticsQueue': { waiting, inFlight: null, dropped: 0 } });
  }, Date.now() - 6 * 3600 * 1000);
}

test('an unreadable managed policy pauses analytics and keeps the queue', async () => {
  await seedQueue();
  const sent = await eventRequests();
  await browser.worker.evaluate(() => {
    globalThis.ccRealManagedGet = chrome.storage.managed.get;
    chrome.storage.managed.get = () => Promise.reject(new Error('simulated: managed storage unavailable'));
  });
  await rereadSettings();
  const status = await browser.worker.evaluate(async () => (await chrome.storage.managed.get(null).catch((e) => String(e))));
  assert.match(status, /simulated/, 'the managed area now fails to read');
  await flushNow();
  await sleep(1500);
  assert.equal(await eventRequests(), sent, 'nothing sent while the policy cannot be read');
  assert.equal((await queue())?.waiting.length, 5, 'the queue is kept');

  await browser.worker.evaluate(() => { chrome.storage.managed.get = globalThis.ccRealManagedGet; });
  await rereadSettings();
  await flushNow();
  await eventually(async () => {
    const q = await queue();
    return q && q.waiting.length === 0 && q.inFlight === null;
  }, { timeout: 8000 });
  assert.ok(await eventRequests() > sent, 'sent once the policy is readable again');
});

for (const value of ['yes', 1, 'false']) {
  test(`feature_analyticsOptOut = ${JSON.stringify(value)} opts out (any truthy value) and purges the queue`, async () => {
    await seedQueue();
    const sent = await eventRequests();
    await browser.worker.evaluate((v) => chrome.storage.local.set({ feature_analyticsOptOut: v }), value);
    await eventually(async () => (await queue()) === undefined, { timeout: 3000 });
    await flushNow();
    await sleep(1000);
    assert.equal(await eventRequests(), sent, 'nothing sent');
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel/index.html`);
    const status = await panel.evaluate(() => chrome.runtime.sendMessage({ type: 'getStatus' }));
    await panel.close();
    assert.equal(status.settings.analyticsOptOut, true, 'the panel shows analytics as off');
    await browser.worker.evaluate(() => chrome.storage.local.remove('feature_analyticsOptOut'));
  });
}
