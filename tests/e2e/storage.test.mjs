// chrome.storage.local under stress, signed in against the Rust reference server: a full
// storage area leads to eviction, not failure; a damaged entry, an old-schema index and a body
// of another deal are discarded and fetched again, never shown.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStandin } from '../server/salesforce-standin.mjs';
import { eventually, launch, signIn, startReferenceServer, waitForBadge } from './browser.mjs';

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

const DEAL = 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view';
const ID = '0065g00000AbCdEAAV';
const enriched = (b) => b && b.text.includes('Customer City analysis');
const analysisRequests = async () => (await api.get('/__admin/requests')).filter((r) => r.path === `/v1/opportunities/${ID}/analysis`).length;
const local = (keys) => browser.worker.evaluate((k) => chrome.storage.local.get(k), keys);
const dealKey = async () => Object.keys(await local(null)).find((k) => k.startsWith('cc.v1.deal:') && k.endsWith(ID.slice(0, 15)));

async function view() {
  const page = await browser.context.newPage();
  await page.goto(DEAL);
  const shown = await waitForBadge(page, enriched, { timeout: 8000 });
  await page.close();
  return shown.badge;
}

test('a full storage area: old entries are evicted, the analysis is shown and kept, the session and choices stay', async () => {
  await browser.worker.evaluate(() => chrome.storage.local.set({ feature_analyticsOptOut: false, 'cc.declineAi': false }));
  // Fill the 10 MB area with entries of an older schema (as an older version would have left
  // them), in smaller and smaller pieces until not even 100 bytes fit.
  const filled = await browser.worker.evaluate(async () => {
    let written = 0;
    for (const size of [1_000_000, 100_000, 10_000, 1_000, 100]) {
      for (;;) {
        try {
          await chrome.storage.local.set({ [`cc.v0.deal:old.my.salesforce.com:${size}-${written}`]: 'x'.repeat(size) });
          written += 1;
        } catch (error) {
          if (!/quota/i.test(String(error.message))) throw error;
          break;
        }
      }
    }
    return { written, bytes: await chrome.storage.local.getBytesInUse(null) };
  });
  assert.ok(filled.bytes > 10_000_000, `storage is full (${filled.bytes} bytes)`);
  const session = (await local('session')).session;
  assert.ok(session, 'signed in before');

  const badge = await view();
  assert.match(badge.text, /Customer City analysis/, 'the enriched analysis is shown, storage full or not');
  const after = await local(null);
  assert.deepEqual(after.session, session, 'the session survived');
  assert.equal(after.feature_analyticsOptOut, false, 'the privacy choices survived');
  assert.equal(after['cc.declineAi'], false);
  assert.ok(!Object.keys(after).some((k) => k.startsWith('cc.v0.')), 'the old entries were given up');
  assert.ok(await dealKey(), 'the analysis is cached again');
  const requests = await analysisRequests();
  await view();
  assert.equal(await analysisRequests(), requests, 'the second view is served from the cache');
});

test('a damaged cached body is discarded and fetched again, never shown', async () => {
  await view();
  const key = await dealKey();
  const before = await analysisRequests();
  await browser.worker.evaluate((k) => chrome.storage.local.set({ [k]: '{"opportunityId": "0065g00000AbCdEAAV", "score": ' }), key);
  const badge = await view();
  assert.match(badge.text, /Customer City analysis/);
  assert.equal(await analysisRequests(), before + 1, 'fetched again');
  await eventually(async () => JSON.parse((await local(key))[key]).opportunityId === ID);
});

test('another deal\'s analysis stored under this deal\'s key is refused and replaced', async () => {
  const reference = (await view()).text;
  const key = await dealKey();
  const body = JSON.parse((await local(key))[key]);
  body.opportunityId = '0065g00000ZxCvBAAV';
  body.score.value = 3;
  await browser.worker.evaluate(([k, b]) => chrome.storage.local.set({ [k]: b }), [key, JSON.stringify(body)]);
  const before = await analysisRequests();
  const badge = await view();
  assert.equal(badge.text, reference, 'this deal\'s analysis, never the other deal\'s score of 3');
  assert.equal(await analysisRequests(), before + 1);
  await eventually(async () => JSON.parse((await local(key))[key]).opportunityId === ID);
});

test('an index of an older schema is discarded with its entries, and the deal fetched again', async () => {
  const key = await dealKey();
  await browser.worker.evaluate(async (k) => {
    const { 'cc.cacheIndex': index } = await chrome.storage.local.get('cc.cacheIndex');
    await chrome.storage.local.set({ 'cc.cacheIndex': { ...index, version: 0 }, [k]: 'left by an older version' });
  }, key);
  const before = await analysisRequests();
  const badge = await view();
  assert.match(badge.text, /Customer City analysis/);
  assert.equal(await analysisRequests(), before + 1);
  const index = (await local('cc.cacheIndex'))['cc.cacheIndex'];
  assert.equal(index.version, 1);
  await eventually(async () => JSON.parse((await local(key))[key]).opportunityId === ID);
});
