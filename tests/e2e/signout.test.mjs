// Sign-out against work in flight, and cache hygiene (SECURITY.md, "Sign-out"): a token refresh
// or an analysis fetch answered after the user signed out writes nothing back; "Clear local
// data" signs out (revoked on the server) and leaves no analysis; the sweep removes cache
// bodies no index entry names and entries stored while the clock was ahead.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStandin } from '../server/salesforce-standin.mjs';
import { confirmConnect, eventually, launch, signIn, startReferenceServer } from './browser.mjs';

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

const DEAL = 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const local = (keys) => browser.worker.evaluate((k) => chrome.storage.local.get(k), keys);
const requests = async (path) => (await api.get('/__admin/requests')).filter((r) => r.path.startsWith(path));
const cacheKeys = async () => Object.keys(await local(null)).filter((k) => k.startsWith('cc.v1.') || k === 'cc.cacheIndex');

/** Signs in unless the user already is. */
async function signedIn() {
  if (!(await local('session')).session) await (await signIn(browser)).close();
}

/** Sends one of the side panel's messages from an extension page, as the panel does. */
async function fromPanel(message) {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/sidepanel/index.html`);
  const answer = await page.evaluate((m) => chrome.runtime.sendMessage(m), message);
  await page.close();
  return answer;
}

test('a token refresh answered after sign-out does not bring the session back', async () => {
  await api.clearFaults();
  await signedIn();
  const refreshesBefore = (await requests('/v1/auth/refresh')).length;
  // The refresh reaches the server at once and is answered (rotated) 2.5 s later.
  await api.post('/__admin/faults', JSON.stringify([{ kind: 'latency', amount: 2500, pathPrefix: '/v1/auth/refresh' }]));
  await browser.worker.evaluate(() => chrome.alarms.create('cc.refreshToken', { when: Date.now() + 10 }));
  await eventually(async () => (await requests('/v1/auth/refresh')).length > refreshesBefore, { timeout: 5000 });
  assert.deepEqual(await fromPanel({ type: 'signOut' }), { ok: true });
  assert.equal((await local('session')).session, undefined, 'signed out at once');
  await sleep(3500); // the refresh's answer has arrived (or was aborted) by now
  assert.equal((await local('session')).session, undefined, 'still signed out after the refresh was answered');
  assert.equal((await requests('/v1/auth/revoke')).length > 0, true, 'the sign-in was revoked on the server');
  const status = await fromPanel({ type: 'getStatus' });
  assert.equal(status.signedIn, false);
  await api.clearFaults();
});

test('with the abort taken away, the sign-out generation alone keeps a late refresh out', async () => {
  // The abort stops most late answers before they are read; this proves the second defence:
  // an answer that does arrive after the sign-out is not written.
  await api.clearFaults();
  await signedIn();
  await browser.worker.evaluate(() => {
    globalThis.ccRealAbort = AbortController.prototype.abort;
    AbortController.prototype.abort = function abortTakenAway() {};
  });
  try {
    const refreshesBefore = (await requests('/v1/auth/refresh')).length;
    await api.post('/__admin/faults', JSON.stringify([{ kind: 'latency', amount: 2500, pathPrefix: '/v1/auth/refresh' }]));
    await browser.worker.evaluate(() => chrome.alarms.create('cc.refreshToken', { when: Date.now() + 10 }));
    await eventually(async () => (await requests('/v1/auth/refresh')).length > refreshesBefore, { timeout: 5000 });
    assert.deepEqual(await fromPanel({ type: 'signOut' }), { ok: true });
    await sleep(3500);
    assert.equal((await local('session')).session, undefined, 'the late answer was not kept');
  } finally {
    await browser.worker.evaluate(() => { AbortController.prototype.abort = globalThis.ccRealAbort; });
    await api.clearFaults();
  }
});

test('an analysis answered after "Clear local data" is not cached, and the user is signed out', async () => {
  await api.clearFaults();
  await signedIn();
  const revokesBefore = (await requests('/v1/auth/revoke')).length;
  await api.post('/__admin/faults', JSON.stringify([{ kind: 'latency', amount: 2500, pathPrefix: '/v1/opportunities/' }]));
  const page = await browser.context.newPage();
  await page.goto(DEAL);
  await eventually(async () => (await requests('/v1/opportunities/0065g00000AbCdEAAV')).length > 0, { timeout: 8000 });
  assert.deepEqual(await fromPanel({ type: 'clearLocalData' }), { ok: true });
  await sleep(3500);
  assert.deepEqual(await cacheKeys(), [], 'no analysis and no index written back');
  assert.equal((await local('session')).session, undefined, '"Clear local data" signs out');
  assert.ok((await requests('/v1/auth/revoke')).length > revokesBefore, 'and revokes the sign-in on the server');
  const reports = await browser.worker.evaluate(() => chrome.storage.session.get(null));
  assert.deepEqual(Object.keys(reports).filter((k) => k.startsWith('cc.tab.')), [], 'the tabs\' reports are gone');
  await page.close();
  await api.clearFaults();
});

test('the sweep removes bodies no entry names, entries from a clock that ran ahead, and keeps the rest', async () => {
  await signedIn();
  const page = await browser.context.newPage();
  await page.goto(DEAL);
  const key = await eventually(async () => (await cacheKeys()).find((k) => k.startsWith('cc.v1.deal:')), { timeout: 8000 });
  await page.close();
  await browser.worker.evaluate(async (kept) => {
    const { 'cc.cacheIndex': index } = await chrome.storage.local.get('cc.cacheIndex');
    const ahead = 'cc.v1.deal:ahead.lightning.force.com:0065g00000Ahead';
    const later = new Date(Date.now() + 5 * 3600 * 1000).toISOString();
    index.entries[ahead] = { ...index.entries[kept], storedAt: later, lastUsed: later };
    await chrome.storage.local.set({
      'cc.cacheIndex': index,
      [ahead]: '{}',
      'cc.v1.deal:orphan.lightning.force.com:0065g00000Orphn': '{"left":"by a stopped worker"}',
      'cc.v0.deal:old.lightning.force.com:0065g00000Old00': '{}',
    });
  }, key);
  await browser.worker.evaluate(() => chrome.alarms.create('cc.sweepCache', { when: Date.now() + 10 }));
  const left = await eventually(async () => {
    const keys = await cacheKeys();
    return keys.some((k) => /Orphn|Ahead|Old00/.test(k)) ? null : keys;
  }, { timeout: 5000 });
  assert.ok(left.includes(key), 'the live entry stays');
  const { 'cc.cacheIndex': index } = await local('cc.cacheIndex');
  assert.deepEqual(Object.keys(index.entries).filter((k) => k !== key && !k.includes(':portfolio')), [], 'the index names no swept entry');
});

test('sign-out removes cache bodies that no index entry names', async () => {
  await signedIn();
  await browser.worker.evaluate(() => chrome.storage.local.set({
    'cc.v1.deal:orphan.lightning.force.com:0065g00000Orphn': '{"left":"by a stopped worker"}',
  }));
  assert.deepEqual(await fromPanel({ type: 'signOut' }), { ok: true });
  assert.deepEqual(await cacheKeys(), []);
});

test('signing in fails closed where the browser will not close storage to content scripts', async () => {
  if ((await local('session')).session) assert.deepEqual(await fromPanel({ type: 'signOut' }), { ok: true });
  const exchanges = (await requests('/v1/auth/token')).length;
  // As on a browser whose storage.local refuses an access level (Chrome before it supported
  // one for that area): the worker's call is made to fail.
  await browser.worker.evaluate(() => {
    globalThis.ccRealSetAccessLevel = chrome.storage.local.setAccessLevel;
    chrome.storage.local.setAccessLevel = () => Promise.reject(new Error('simulated: not supported for this area'));
  });
  const panel = await browser.context.newPage();
  await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel/index.html`);
  await panel.waitForSelector('#sign-in:not([hidden])');
  const connectPage = browser.context.waitForEvent('page');
  await panel.click('#sign-in');
  const webApp = await connectPage;
  await confirmConnect(webApp);
  await webApp.waitForFunction(() => document.getElementById('status').textContent.startsWith('The extension refused'));
  // The core's code for it (auth::SignInFailure), which the side panel explains.
  assert.equal(await webApp.textContent('#status'), 'The extension refused: browser');
  assert.equal((await browser.worker.evaluate(() => chrome.storage.session.get('cc.signInError')))['cc.signInError'], 'browser');
  assert.equal((await local('session')).session, undefined, 'no session stored');
  assert.equal((await requests('/v1/auth/token')).length, exchanges, 'no tokens asked for');
  await browser.worker.evaluate(() => { chrome.storage.local.setAccessLevel = globalThis.ccRealSetAccessLevel; });
  await Promise.all([webApp.close(), panel.close()]);
  await signedIn(); // and with the access level set, signing in works again
  assert.ok((await local('session')).session);
});
