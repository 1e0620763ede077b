// The administrator's policy (chrome.storage.managed, schema in managed_schema.json), set the
// way an enterprise sets it: a Chromium policy file for this extension's Id (docs/admin.md).
// Needs write access to /etc/chromium/policies/managed (CI runs as root); the file is removed
// afterwards. Each policy's extension is loaded from its own copy of dist/, so that its Id, and
// so the policy, is its own: the other test files' browsers, running at the same time, are not
// managed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { confirmConnect, dist, eventually, launch, readBadge, restartWorker, sidePanel, signIn, startReferenceServer, waitForBadge } from './browser.mjs';

const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = `${POLICY_DIR}/customer-city-e2e-${process.pid}.json`;

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

// One copy of dist/ (so one extension Id) per policy.
const POLICIES = {
  private: { analyticsOptOut: true, disableAiInsights: true, apiOrigin: 'http://downgrade.example' },
  locked: { disableSignIn: true, allowedOrgHosts: ['lightning-record-layout-en-us.my.salesforce.com', 'https://lightning-de-ch.my.salesforce.com/'] },
  regional: { apiOrigin: 'https://api.eu.customercity.com' },
  restart: { allowedOrgHosts: ['lightning-record-layout-en-us'] },
  narrowed: { allowedOrgHosts: ['lightning-record-layout-en-us', 'lightning-de-ch'] },
};
const copies = Object.fromEntries(Object.keys(POLICIES).map((name) => [name, join(mkdtempSync(join(tmpdir(), `cc-managed-${name}-`)), 'dist')]));
let standin;
let api;
let browser;

/** Writes the policy file: each copy's policy, `changed` in place of some. */
function writePolicies(changed = {}) {
  const extensions = {};
  for (const [name, path] of Object.entries(copies)) extensions[unpackedId(path)] = changed[name] ?? POLICIES[name];
  writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions } }));
}

before(async () => {
  if (skip) return;
  for (const path of Object.values(copies)) cpSync(dist, path, { recursive: true });
  writePolicies();
  standin = await startStandin();
  api = await startReferenceServer({ extensionPaths: Object.values(copies) });
  browser = await launch({ port: standin.port, apiPort: api.port, extensionPath: copies.private });
});

after(async () => {
  await browser?.context.close().catch(() => {});
  api?.stop();
  await standin?.close();
  rmSync(POLICY_FILE, { force: true });
  for (const path of Object.values(copies)) rmSync(dirname(path), { recursive: true, force: true });
});

/** The policy as the extension reads it, once Chromium has loaded it. */
async function managedPolicy({ worker }) {
  return eventually(async () => {
    const value = await worker.evaluate(() => chrome.storage.managed.get(null));
    return Object.keys(value).length ? value : null;
  });
}

test('a forced opt-out and forced AI decline apply whatever the user set; a bad origin is ignored', { skip }, async () => {
  const { worker } = browser;
  assert.equal(new URL(worker.url()).host, unpackedId(copies.private), 'the policy names this extension');
  const managed = await managedPolicy(browser);
  assert.equal(managed.analyticsOptOut, true);
  // managed_schema.json's pattern: Chromium drops an http:// origin before the extension sees
  // it (and settings.rs would ignore it too: settings::tests).
  assert.equal(managed.apiOrigin, undefined, 'the schema refuses an http:// API origin');
  const panel = await signIn(browser);
  await worker.evaluate(() => chrome.storage.local.set({ feature_analyticsOptOut: false }));
  const status = await panel.evaluate(() => chrome.runtime.sendMessage({ type: 'getStatus' }));
  assert.deepEqual(status.settings.forced, { analyticsOptOut: true, aiInsights: true, apiOrigin: false, signIn: false });
  assert.equal(status.settings.analyticsOptOut, true);
  assert.equal(status.settings.includeAi, false);
  assert.equal(status.settings.apiOrigin, 'https://api.customercity.com', 'an http:// origin is never used');
  assert.deepEqual(status.settings.policyErrors, [], 'nothing left to ignore');
  // The panel shows both settings as the administrator's, unchangeable.
  await panel.waitForSelector('#analytics-forced:not([hidden])');
  assert.equal(await panel.isDisabled('#setting-analytics'), true);
  assert.equal(await panel.isChecked('#setting-analytics'), false);
  assert.equal(await panel.isDisabled('#setting-ai'), true);
  assert.equal(await panel.textContent('#analytics-forced'), 'Set by your administrator');
  assert.equal(await panel.textContent('#policy-notes'), '');
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

/** A second browser, for another policy's copy; closed at the end of the test. */
async function launchCopy(name, t) {
  const other = await launch({ port: standin.port, apiPort: api.port, extensionPath: copies[name] });
  t.after(() => other.context.close().catch(() => {}));
  assert.equal(other.extensionId, unpackedId(copies[name]));
  return other;
}

test('sign-in switched off: the worker starts none, a kept session is signed out, the panel says why', { skip }, async (t) => {
  const locked = await launchCopy('locked', t);
  const { worker, context, extensionId } = locked;
  assert.equal((await managedPolicy(locked)).disableSignIn, true);
  const panel = await context.newPage();
  await panel.goto(`chrome-extension://${extensionId}/sidepanel/index.html`);
  const status = await panel.evaluate(() => chrome.runtime.sendMessage({ type: 'getStatus' }));
  assert.equal(status.settings.signInDisabled, true);
  assert.equal(status.settings.forced.signIn, true);
  // Signed out, the administrator's message is the status line, where "Sign in" would be.
  await panel.waitForFunction(() => document.getElementById('status').textContent === 'Sign-in is turned off by your administrator.');
  assert.equal(await panel.isHidden('#sign-in'), true, 'no sign-in button');
  assert.match(await panel.textContent('#policy-notes'), /Salesforce orgs only: lightning-record-layout-en-us, lightning-de-ch/);
  // Asked anyway (the button, or a message): refused, and no web app tab opens.
  const pages = context.pages().length;
  const refused = await panel.evaluate(() => chrome.runtime.sendMessage({ type: 'beginSignIn' }));
  assert.deepEqual(refused, { ok: false, signInDisabled: true });
  await panel.waitForTimeout(300);
  assert.equal(context.pages().length, pages, 'no connect page opened');
  assert.deepEqual(await worker.evaluate(() => chrome.storage.session.get('pendingSignIn')), {});
  // A session from before the policy (written as a sign-in would) is signed out when the
  // worker starts again.
  await worker.evaluate(() => chrome.storage.local.set({ session: { accessToken: 'old', refreshToken: 'old', accessExpiresAt: '2026-11-24T00:00:00Z' } }));
  await restartWorker(locked, (page) => page.evaluate(() => chrome.runtime.sendMessage({ type: 'getStatus' })));
  await eventually(async () => (await worker.evaluate(() => chrome.storage.local.get('session'))).session === undefined);
});

test('sign-in switched off: the side panel offers no sign-in anywhere, the administrator\'s message instead', { skip }, async (t) => {
  const locked = await launchCopy('locked', t);
  const [relay] = locked.context.pages(); // a tab that never navigates: the CDP relay to the panel
  const page = await locked.context.newPage();
  await page.goto('https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  const { badge } = await waitForBadge(page, (b) => b && /\d/.test(b.label ?? '') && b.rect.visible === 'visible', { timeout: 10000 });
  await page.mouse.click(badge.rect.x + badge.rect.w / 2, badge.rect.y + badge.rect.h / 2);
  const panel = await sidePanel(locked, relay);
  t.after(() => panel.close());
  const message = 'Sign-in is turned off by your administrator.';
  // The deal's Customer City section, the pipeline and the status line: the message, no button.
  await panel.waitFor(`document.getElementById('enriched-message').textContent === ${JSON.stringify(message)}`);
  for (const id of ['sign-in-deal', 'sign-in']) {
    assert.deepEqual(
      await panel.evaluate(`(({ hidden, disabled }) => ({ hidden, disabled }))(document.getElementById('${id}'))`),
      { hidden: true, disabled: true },
      `#${id} is neither offered nor clickable`,
    );
  }
  assert.equal(await panel.text('pipeline-message'), message);
  assert.equal(await panel.text('status'), message);
  assert.ok(!(await panel.text('policy-notes')).includes(message), 'said once in the settings');
  assert.equal(await panel.text('headline-caption'), 'On-device estimate from 7 fields on this page');
  // Clicked anyway (a script in the panel): nothing starts.
  const pages = locked.context.pages().length;
  await panel.click('sign-in-deal');
  await page.waitForTimeout(300);
  assert.equal(locked.context.pages().length, pages, 'no connect page opened');
});

test('the badge shows only on the listed orgs, matched by My Domain name', { skip }, async (t) => {
  const locked = await launchCopy('locked', t);
  assert.deepEqual((await managedPolicy(locked)).allowedOrgHosts.length, 2);
  const page = await locked.context.newPage();
  // Listed as acme.my.salesforce.com: its Lightning host shows the badge.
  await page.goto('https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  await waitForBadge(page, (b) => b && /\d/.test(b.text));
  // Listed as https://…/ (the schema and the core take a URL-ish entry too).
  await page.goto('https://lightning-de-ch.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  await waitForBadge(page, (b) => b !== null);
  // Not listed: no badge, and nothing reported to the worker for the side panel.
  await page.goto('https://lightning-fr-fr.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  await page.waitForTimeout(1500);
  assert.equal(await readBadge(page), null, 'no badge on an org the policy does not list');
  const tabs = await locked.worker.evaluate(() => chrome.storage.session.get(null));
  const reports = Object.entries(tabs).filter(([key, value]) => key.startsWith('cc.tab.') && JSON.stringify(value).includes('lightning-fr-fr'));
  assert.deepEqual(reports, [], 'no Tier 1 report from the unlisted org');
});

// After the browser starts, chrome.storage.managed answers only seconds later: the worker answers
// a record page from the policy it read last (its copy, closed to content scripts), and a page
// that the policy read since no longer allows loses its badge. Signed in, nothing about that
// org is asked of the API and no Tier 1 report is kept: those wait for the live policy.
test('after a restart a page allowed by the last policy read loses its badge once the policy says no', { skip }, async (t) => {
  const profile = mkdtempSync(join(tmpdir(), 'cc-restart-'));
  t.after(() => rmSync(profile, { recursive: true, force: true }));
  t.after(() => writePolicies());
  const url = 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view';
  const first = await launch({ port: standin.port, apiPort: api.port, extensionPath: copies.restart, userDataDir: profile });
  try {
    const copy = await eventually(async () => (await first.worker.evaluate(() => chrome.storage.local.get('cc.policyCopy')))['cc.policyCopy'] ?? null, { timeout: 15000 });
    assert.deepEqual(copy.allowedOrgHosts, ['lightning-record-layout-en-us'], 'the worker keeps the policy it read');
    await signIn(first);
    const page = await first.context.newPage();
    await page.goto(url);
    await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'), { timeout: 10000 });
  } finally {
    await first.context.close();
  }
  // While the browser is closed the administrator narrows the list.
  writePolicies({ restart: { allowedOrgHosts: ['globex'] } });
  const asked = async () => (await api.get('/__admin/requests')).filter((r) => /\/(analysis|portfolio)/.test(r.path)).length;
  const askedBefore = await asked();
  const second = await launch({ port: standin.port, apiPort: api.port, extensionPath: copies.restart, userDataDir: profile, waitForPolicy: false });
  t.after(() => second.context.close().catch(() => {}));
  // Badge views counted so far (queued or in flight): none may be added for the unlisted org.
  const views = async () => {
    const { 'cc.analyticsQueue': queue } = await second.worker.evaluate(() => chrome.storage.local.get('cc.analyticsQueue'));
    return [...(queue?.waiting ?? []), ...(queue?.inFlight?.events ?? [])].filter((e) => e.name === 'badge_viewed').length;
  };
  const viewsBefore = await views();
  const page = await second.context.newPage();
  await page.goto(url);
  // Drawn from the copy or not at all (when the policy was in first); never left up.
  const seen = [];
  await eventually(async () => {
    const badge = await readBadge(page);
    seen.push(badge ? badge.label : null);
    const copy = (await second.worker.evaluate(() => chrome.storage.local.get('cc.policyCopy')))['cc.policyCopy'];
    return badge === null && copy && copy.allowedOrgHosts[0] === 'globex' ? true : null;
  }, { timeout: 15000 });
  t.diagnostic(seen.some(Boolean) ? 'the badge was drawn from the copy, then taken down' : 'the live policy was in before the page asked');
  await page.waitForTimeout(1000);
  assert.equal(await readBadge(page), null, 'no badge once the policy says no');
  const tabs = await second.worker.evaluate(() => chrome.storage.session.get(null));
  const reports = Object.keys(tabs).filter((key) => key.startsWith('cc.tab.'));
  assert.deepEqual(reports, [], 'no Tier 1 report kept for the page');
  assert.ok((await second.worker.evaluate(() => chrome.storage.local.get('session'))).session, 'still signed in');
  assert.equal(await asked(), askedBefore, 'nothing asked of the API about the unlisted org');
  assert.equal(await views(), viewsBefore, 'no badge view counted on the unlisted org');
});

// An administrator narrows allowedOrgHosts while pages are open: Chromium loads the new policy
// file (after its few seconds of settling), the worker reads it again and every open page of an
// org no longer listed loses its badge at once, without a reload; a listed org's page keeps
// its own.
test('a policy narrowed while pages are open takes the unlisted org\'s badge down at once', { skip }, async (t) => {
  const narrowed = await launchCopy('narrowed', t);
  t.after(() => writePolicies());
  assert.equal((await managedPolicy(narrowed)).allowedOrgHosts.length, 2);
  const dropped = await narrowed.context.newPage();
  await dropped.goto('https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  await waitForBadge(dropped, (b) => b && /\d/.test(b.text));
  const kept = await narrowed.context.newPage();
  await kept.goto('https://lightning-de-ch.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  await waitForBadge(kept, (b) => b !== null);
  writePolicies({ narrowed: { allowedOrgHosts: ['lightning-de-ch'] } });
  await eventually(async () => {
    const policy = await narrowed.worker.evaluate(() => chrome.storage.managed.get(null));
    return policy.allowedOrgHosts?.length === 1 ? true : null;
  }, { timeout: 30000 });
  await eventually(async () => ((await readBadge(dropped)) === null ? true : null), { timeout: 5000 });
  // Read no more: a change on the page draws nothing again.
  await dropped.evaluate(() => document.body.append(document.createElement('div')));
  await dropped.waitForTimeout(800);
  assert.equal(await readBadge(dropped), null, 'the badge stays down');
  assert.notEqual(await readBadge(kept), null, 'the listed org keeps its badge');
});

// The worker's word that the live policy refuses an org a copy allowed: the content script takes
// its badge down only for its own org (the tab may have moved on to another since it asked),
// and then reads the page no more.
test('policyRefused takes the badge down only for the page\'s own org, and for good', { skip }, async () => {
  const { context, worker } = browser;
  const host = 'lightning-record-layout-en-us.lightning.force.com';
  const page = await context.newPage();
  await page.goto(`https://${host}/lightning/r/Opportunity/0065g00000AbCdEAAV/view`);
  await waitForBadge(page, (b) => b && /\d/.test(b.text));
  // Every tab of the org (an earlier test left one open too).
  const tell = (refusedHost) => worker.evaluate(async ([url, refused]) => {
    const tabs = await chrome.tabs.query({ url });
    await Promise.all(tabs.map((tab) => chrome.tabs.sendMessage(tab.id, { type: 'policyRefused', host: refused }).catch(() => {})));
    return tabs.length;
  }, [`https://${host}/*`, refusedHost]);
  await tell('globex.lightning.force.com');
  await page.waitForTimeout(500);
  assert.notEqual(await readBadge(page), null, 'another org\'s refusal changes nothing here');
  await tell(host);
  await eventually(async () => (await readBadge(page)) === null);
  // Read no more: a change of the record on the page draws nothing.
  await page.evaluate(() => document.body.append(document.createElement('div')));
  await page.waitForTimeout(800);
  assert.equal(await readBadge(page), null, 'the badge stays down');
  await page.close();
});

test('a regional apiOrigin moves sign-in to its web app, and every request to its API', { skip }, async (t) => {
  const regional = await launchCopy('regional', t);
  const { context, extensionId } = regional;
  assert.equal((await managedPolicy(regional)).apiOrigin, 'https://api.eu.customercity.com');
  const panel = await context.newPage();
  await panel.goto(`chrome-extension://${extensionId}/sidepanel/index.html`);
  const status = await panel.evaluate(() => chrome.runtime.sendMessage({ type: 'getStatus' }));
  assert.equal(status.settings.apiOrigin, 'https://api.eu.customercity.com');
  assert.equal(status.settings.appOrigin, 'https://app.eu.customercity.com');
  await panel.waitForSelector('#sign-in:not([hidden])');
  const connectPage = context.waitForEvent('page');
  await panel.click('#sign-in');
  const webApp = await connectPage;
  await webApp.waitForLoadState();
  assert.equal(new URL(webApp.url()).origin, 'https://app.eu.customercity.com', 'the regional web app');
  await confirmConnect(webApp);
  await webApp.waitForFunction(() => document.getElementById('status').textContent.startsWith('Connected'));
  await webApp.close();
  await panel.waitForSelector('#sign-out:not([hidden])');

  const page = await context.newPage();
  await page.goto('https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis'), { timeout: 10000 });
  const requests = (await api.get('/__admin/requests')).filter((r) => r.path.startsWith('/v1/'));
  const exchange = requests.filter((r) => r.path === '/v1/auth/token').at(-1);
  assert.ok(exchange, `the code exchange was recorded: ${JSON.stringify(requests.map((r) => r.path))}`);
  assert.equal(exchange.host, 'api.eu.customercity.com', 'the code is exchanged at the regional API');
  const analysis = requests.filter((r) => r.path.endsWith('/analysis')).at(-1);
  assert.equal(analysis.host, 'api.eu.customercity.com');
});
