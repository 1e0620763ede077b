// Security as tests, signed in: the content script's own world (reached over CDP) never
// receives a token in any answer and cannot read the extension's storage; another extension
// cannot message or connect to ours; a web page outside the web app has no channel at all.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { launch, signIn, startReferenceServer, waitForBadge } from './browser.mjs';

let standin;
let api;
let browser;
let other; // another extension's service worker

const ID = '0065g00000AbCdEAAV';
const DEAL = `https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/${ID}/view`;

before(async () => {
  // Another extension, with every permission our content script has and more.
  const dir = mkdtempSync(join(tmpdir(), 'cc-other-extension-'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3, name: 'Other extension', version: '1.0',
    permissions: ['storage', 'tabs'], host_permissions: ['<all_urls>'],
    background: { service_worker: 'other.js' },
  }));
  writeFileSync(join(dir, 'other.js'), 'self.addEventListener("install", () => {});\n');
  standin = await startStandin();
  api = await startReferenceServer();
  browser = await launch({ port: standin.port, apiPort: api.port, otherExtensions: [dir] });
  other = browser.context.serviceWorkers().find((w) => w.url().endsWith('/other.js'))
    ?? await browser.context.waitForEvent('serviceworker', { predicate: (w) => w.url().endsWith('/other.js') });
  await (await signIn(browser)).close();
});

after(async () => {
  await browser?.context.close().catch(() => {});
  api?.stop();
  await standin?.close();
});

/** Evaluates `expression` in our content script's isolated world on `page` (over CDP). */
async function inContentScript(page, expression) {
  const cdp = await browser.context.newCDPSession(page);
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
  await cdp.send('Runtime.enable');
  // Only our extension has a content script here, so the one isolated world is ours.
  const world = contexts.find((c) => c.auxData?.type === 'isolated');
  assert.ok(world, 'the content script world is there');
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression, contextId: world.id, awaitPromise: true, returnByValue: true,
  });
  await cdp.detach();
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value;
}

test('no answer to the content script carries a token, and its world cannot read the extension\'s storage', async () => {
  const page = await browser.context.newPage();
  await page.goto(DEAL);
  await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'), { timeout: 8000 });
  const { session } = await browser.worker.evaluate(() => chrome.storage.local.get('session'));
  assert.ok(session?.accessToken && session?.refreshToken);
  const seen = await inContentScript(page, `(async () => {
    const ask = (m) => chrome.runtime.sendMessage(m).catch((e) => ({ error: String(e) }));
    const answers = [];
    for (const m of [
      { type: 'getAnalysis', recordId: '${ID}' },
      { type: 'getAnalysis', recordId: '0065g00000ZxCvBAAV' },
      { type: 'getDateOrder' },
      { type: 'badgeViewed', band: 'healthy', ui: 'lightning' },
      { type: 'getStatus' }, { type: 'getPanel', tabId: 1, enriched: true, refresh: false },
      { type: 'beginSignIn' }, { type: 'signOut' }, { type: 'setPreference', name: 'analytics', on: true },
      { type: 'clearLocalData' }, { type: 'nonsense' }, 'not even an object',
    ]) answers.push(await ask(m));
    const local = await chrome.storage.local.get(null).then((v) => ({ read: v }), (e) => ({ refused: String(e) }));
    const sessionArea = await chrome.storage.session.get(null).then((v) => ({ read: v }), (e) => ({ refused: String(e) }));
    return { answers, local, sessionArea, world: typeof chrome.runtime.id };
  })()`);
  const text = JSON.stringify(seen.answers);
  assert.ok(!text.includes(session.accessToken) && !text.includes(session.refreshToken), 'no token in any answer');
  assert.match(text, /Customer City|value|band/i, 'the content script did get its own analysis');
  assert.equal(seen.answers[2].signedIn, true, 'and the flag "signed in", nothing of the session');
  assert.ok(seen.local.refused, `storage.local is refused to the content script: ${JSON.stringify(seen.local).slice(0, 200)}`);
  assert.ok(seen.sessionArea.refused, 'storage.session too');
  const after = await browser.worker.evaluate(() => chrome.storage.local.get('session'));
  assert.ok(after.session, 'a content script cannot sign the user out');
  await page.close();
});

test('another extension can neither message nor connect to ours', async () => {
  const outcome = await other.evaluate(async (id) => {
    const message = await chrome.runtime.sendMessage(id, { type: 'getStatus' }).then((v) => ({ answered: v }), (e) => ({ refused: String(e) }));
    const hand = await chrome.runtime.sendMessage(id, { type: 'connect', code: 'c', state: 's' }).then((v) => ({ answered: v }), (e) => ({ refused: String(e) }));
    const port = await new Promise((resolve) => {
      const p = chrome.runtime.connect(id);
      p.onDisconnect.addListener(() => resolve({ disconnected: String(chrome.runtime.lastError?.message ?? '') }));
      p.postMessage({ type: 'getStatus' });
      setTimeout(() => resolve({ open: true }), 1500);
    });
    return { message, hand, port };
  }, browser.extensionId);
  assert.match(outcome.message.refused ?? '', /Receiving end does not exist|Could not establish connection/, `a message is refused: ${JSON.stringify(outcome)}`);
  assert.ok(outcome.hand.refused, 'a forged sign-in hand-off is refused');
  assert.ok(outcome.port.disconnected !== undefined, 'a port is closed at once');
  assert.ok((await browser.worker.evaluate(() => chrome.storage.local.get('session'))).session, 'still signed in');
});

test('a Salesforce page and any other web page have no channel to the extension', async () => {
  const page = await browser.context.newPage();
  await page.goto(DEAL);
  assert.equal(await page.evaluate(() => typeof globalThis.chrome?.runtime?.sendMessage), 'undefined');
  await page.close();
});
