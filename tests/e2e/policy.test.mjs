// The administrator's policy (chrome.storage.managed, schema in managed_schema.json), set the
// way an enterprise sets it: a Chromium policy file for this extension's Id. Needs write access
// to /etc/chromium/policies/managed (CI runs as root); the file is removed afterwards. The
// extension is loaded from a copy of dist/ so that its Id, and so the policy, is its own: the
// other test files' browsers, running at the same time, are not managed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { dist, eventually, launch, signIn, startReferenceServer, waitForBadge } from './browser.mjs';

const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = `${POLICY_DIR}/customer-city-e2e.json`;

/** The Id Chromium gives an unpacked extension: its path's SHA-256, 32 nibbles as a–p. */
function unpackedId(path) {
  const hex = createHash('sha256').update(path).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

let writable = true;
try {
  mkdirSync(POLICY_DIR, { recursive: true });
  accessSync(POLICY_DIR, constants.W_OK);
} catch {
  writable = false;
}
const skip = writable ? false : `${POLICY_DIR} is not writable (run as root, as CI does)`;

const copy = join(mkdtempSync(join(tmpdir(), 'cc-managed-')), 'dist');
let standin;
let api;
let browser;

before(async () => {
  if (skip) return;
  cpSync(dist, copy, { recursive: true });
  writeFileSync(POLICY_FILE, JSON.stringify({
    '3rdparty': { extensions: { [unpackedId(copy)]: { analyticsOptOut: true, disableAiInsights: true, apiOrigin: 'http://downgrade.example' } } },
  }));
  standin = await startStandin();
  api = await startReferenceServer({ extensionPaths: [copy] });
  browser = await launch({ port: standin.port, apiPort: api.port, extensionPath: copy });
});

after(async () => {
  await browser?.context.close().catch(() => {});
  api?.stop();
  await standin?.close();
  rmSync(POLICY_FILE, { force: true });
  rmSync(copy, { recursive: true, force: true });
});

test('a forced opt-out and forced AI decline apply whatever the user set; a bad origin is ignored', { skip }, async () => {
  const { worker } = browser;
  assert.equal(new URL(worker.url()).host, unpackedId(copy), 'the policy names this extension');
  const managed = await eventually(async () => {
    const value = await worker.evaluate(() => chrome.storage.managed.get(null));
    return Object.keys(value).length ? value : null;
  });
  assert.equal(managed.analyticsOptOut, true);
  const panel = await signIn(browser);
  await worker.evaluate(() => chrome.storage.local.set({ feature_analyticsOptOut: false }));
  const status = await panel.evaluate(() => chrome.runtime.sendMessage({ type: 'getStatus' }));
  assert.deepEqual(status.settings.forced, { analyticsOptOut: true, aiInsights: true, apiOrigin: false });
  assert.equal(status.settings.analyticsOptOut, true);
  assert.equal(status.settings.includeAi, false);
  assert.equal(status.settings.apiOrigin, 'https://api.customercity.com', 'an http:// origin is never used');
  assert.equal(status.settings.policyErrors.length, 1);
  // The panel shows both settings as the administrator's, unchangeable.
  await panel.waitForSelector('#analytics-forced:not([hidden])');
  assert.equal(await panel.isDisabled('#setting-analytics'), true);
  assert.equal(await panel.isChecked('#setting-analytics'), false);
  assert.equal(await panel.isDisabled('#setting-ai'), true);
  assert.equal(await panel.textContent('#analytics-forced'), 'Set by your administrator');
  assert.match(await panel.textContent('#policy-notes'), /^A policy value was ignored: apiOrigin/);
  const refused = await panel.evaluate(() => chrome.runtime.sendMessage({ type: 'setPreference', name: 'analytics', on: true }));
  assert.deepEqual(refused, { ok: false, forced: true }, 'the worker refuses a forced setting too');

  const page = await browser.context.newPage();
  await page.goto('https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'));
  await page.waitForTimeout(300);
  await worker.evaluate(() => chrome.alarms.create('cc.flushAnalytics', { when: Date.now() + 20 }));
  await page.waitForTimeout(1000);
  const requests = await api.get('/__admin/requests');
  assert.equal(requests.filter((r) => r.path === '/v1/events').length, 0, 'nothing sent');
  const queue = await worker.evaluate(() => chrome.storage.local.get('cc.analyticsQueue'));
  assert.deepEqual(queue, {}, 'nothing recorded');
  const analysis = requests.find((r) => r.path.endsWith('/analysis'));
  assert.deepEqual(analysis.query, [['ai', 'exclude']], 'AI content not asked for');
});
