// Issue 15, item 2: sign-in code interception. A second, hostile extension (no permissions, only
// `externally_connectable` for the web app: tests/e2e/hostile-extension/) opens the web app's
// connect page with a PKCE pair of its own. Before the fix the page handed the one-time code to
// whatever extension Id the query named, and the code exchanged for a token pair (HTTP 200).
// Now the page hands codes only to the configured extension Ids, after the user confirms which
// extension is being connected, and the token endpoint takes a code only for the Id it was
// issued to.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { confirmConnect, launch, root, signIn, startReferenceServer } from './browser.mjs';

const HOSTILE = join(root, 'tests', 'e2e', 'hostile-extension');

let standin;
let api;
let browser;
let hostile; // the hostile extension's service worker
let hostileId;

before(async () => {
  standin = await startStandin();
  api = await startReferenceServer();
  browser = await launch({ port: standin.port, apiPort: api.port, otherExtensions: [HOSTILE] });
  const isHostile = (w) => w.url().endsWith('/hostile-worker.js');
  hostile = browser.context.serviceWorkers().find(isHostile)
    ?? await browser.context.waitForEvent('serviceworker', { predicate: isHostile });
  hostileId = new URL(hostile.url()).host;
});

after(async () => {
  await browser?.context.close().catch(() => {});
  api?.stop();
  await standin?.close();
});

/** The hostile extension opens the connect page asking a code for `extensionId`; a user who
 *  trusts the web app clicks whatever confirmation it shows. Resolves to the page once it has
 *  settled, and everything the hostile extension received. */
async function attack(extensionId) {
  const opened = browser.context.waitForEvent('page');
  const state = await hostile.evaluate((id) => globalThis.askForCode(id), extensionId);
  const page = await opened;
  await page.waitForLoadState();
  const confirmation = await page.evaluate(() => ({
    name: document.getElementById('extension-name')?.textContent ?? null,
    id: document.getElementById('extension-id')?.textContent ?? null,
  }));
  if (await page.$('#confirm')) await confirmConnect(page);
  // Settled: the page refused, or it handed the code over and heard back (or failed to).
  await page.waitForFunction(() => {
    const status = document.getElementById('status')?.textContent ?? '';
    return /^(Connected|The extension refused|Could not reach|No sign-in code)/.test(status);
  });
  const status = await page.textContent('#status');
  const received = await hostile.evaluate(() => globalThis.received);
  const verifier = await hostile.evaluate((s) => globalThis.verifiers[s], state);
  return { page, status, confirmation, received, verifier };
}

/** The hostile extension's backend: every code it received, exchanged with its own verifier
 *  (from a server, so no CORS stands in the way). Resolves to the HTTP statuses. */
async function exchangeStolen(received, verifier) {
  const statuses = [];
  for (const { message } of received) {
    if (typeof message?.code !== 'string') continue;
    statuses.push(await api.post('/v1/auth/token', JSON.stringify({ code: message.code, codeVerifier: verifier, extensionId: hostileId })));
  }
  return statuses;
}

test('a hostile extension asking for a code for its own Id gets no code and no tokens', async () => {
  const { page, status, received, verifier } = await attack(hostileId);
  const statuses = await exchangeStolen(received, verifier);
  assert.deepEqual({ received, statuses }, { received: [], statuses: [] }, 'nothing reached the hostile extension, nothing was exchanged');
  assert.match(status, /^No sign-in code was issued/);
  assert.match(await page.textContent('body'), new RegExp(`${hostileId}.*is not the Customer City extension`, 's'));
  assert.equal(await page.$('#confirm'), null, 'nothing to confirm');
  const tokens = (await api.get('/__admin/requests')).filter((r) => r.path === '/v1/auth/token');
  assert.deepEqual(tokens, [], 'no code to exchange');
  await page.close();
});

test('a code asked for with our Id goes to our extension, which refuses it; the hostile one gets nothing', async () => {
  const { page, status, confirmation, received } = await attack(browser.extensionId);
  assert.deepEqual(confirmation, { name: 'Customer City Deal Health', id: browser.extensionId }, 'the user is shown which extension');
  assert.equal(status, 'The extension refused: notPending'); // auth::HandOffError's code
  assert.deepEqual(received, [], 'nothing reached the hostile extension');
  const session = await browser.worker.evaluate(() => chrome.storage.local.get('session'));
  assert.deepEqual(session, {}, 'not signed in by someone else\'s code');
  await page.close();
});

test('beside the hostile extension our own sign-in still works, and only ours hears of it', async () => {
  await (await signIn(browser)).close();
  const { session } = await browser.worker.evaluate(() => chrome.storage.local.get('session'));
  assert.match(session.accessToken, /^cc_at_/);
  assert.deepEqual(await hostile.evaluate(() => globalThis.received), []);
  const exchanges = (await api.get('/__admin/requests')).filter((r) => r.path === '/v1/auth/token');
  assert.equal(exchanges.length, 1, 'one exchange: ours');
});
