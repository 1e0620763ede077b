// The real side panel (opened by clicking the badge, driven over CDP): every state, the
// settings, following the active tab, hostile text rendered as text, an automated
// accessibility check (axe-core), and screenshots in tests/e2e/output/. Against the Rust
// reference server under the real Customer City host names.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { eventually, launch, root, sidePanel, signIn, startReferenceServer, waitForBadge } from './browser.mjs';

const outputDir = join(root, 'tests', 'e2e', 'output');
const AXE = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const url = (fixture, id = '0065g00000AbCdEAAV') => `https://${fixture}.lightning.force.com/lightning/r/Opportunity/${id}/view`;

let standin;
let api;
let browser;
let page;
let relay; // a background tab that never navigates: the CDP relay to the side panel
let panel;

before(async () => {
  mkdirSync(outputDir, { recursive: true });
  standin = await startStandin();
  api = await startReferenceServer();
  browser = await launch({ port: standin.port, apiPort: api.port });
  [relay] = browser.context.pages();
  page = await browser.context.newPage();
});

after(async () => {
  panel?.close();
  await browser?.context.close().catch(() => {});
  api?.stop();
  await standin?.close();
});

/** Opens the real side panel the way a rep does: a click on the badge. */
async function openPanel() {
  const { badge } = await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible');
  await page.mouse.click(badge.rect.x + badge.rect.w / 2, badge.rect.y + badge.rect.h / 2);
  panel?.close();
  panel = await sidePanel(browser, relay);
  await panel.waitFor("document.readyState === 'complete' && document.getElementById('deal-title').textContent !== ''");
}

async function axe() {
  await panel.evaluate(AXE);
  const result = await panel.evaluate("axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) })))");
  return result;
}

const visible = (id) => `!document.getElementById('${id}').hidden`;

test('signed out: the Tier 1 score and reasons, an invitation to sign in, no request', async () => {
  await page.goto(url('lightning-record-layout-en-us'));
  await openPanel();
  await panel.waitFor(visible('local'));
  assert.equal(await panel.text('deal-title'), 'Acme — 500 Widgets');
  assert.match(await panel.text('local-score'), /^\d+$/);
  assert.ok((await panel.evaluate("document.querySelectorAll('#local-reasons li').length")) >= 1);
  assert.match(await panel.text('enriched-message'), /^Sign in for the full analysis/);
  assert.equal(await panel.evaluate(visible('sign-in-deal')), true);
  assert.match(await panel.text('pipeline-message'), /^Sign in to see your open deals/);
  assert.match(await panel.text('status'), /^Signed out/);
  assert.deepEqual(await axe(), [], 'no accessibility violations');
  await panel.screenshot(join(outputDir, 'panel-signed-out.png'));
  const apiCalls = (await api.get('/__admin/requests')).filter((r) => r.path.startsWith('/v1/'));
  assert.deepEqual(apiCalls, [], 'signed out: nothing reached the API');
});

test('signed in: the enriched analysis with factors, blind spots, AI marking, age; the pipeline riskiest first', async () => {
  const account = await signIn(browser);
  await account.close();
  await page.bringToFront();
  await panel.waitFor(visible('enriched-body'), { timeout: 8000 });
  assert.match(await panel.text('enriched-score'), /^\d+$/);
  assert.equal(await panel.text('enriched-age'), 'Updated just now');
  assert.equal(await panel.evaluate("document.querySelectorAll('#factors li').length"), 7);
  assert.match(await panel.evaluate("document.querySelector('#factors li').textContent"), /weight \d+%/);
  const spots = await panel.evaluate("[...document.querySelectorAll('#blind-spots > li')].map((li) => li.textContent)");
  assert.ok(spots.length >= 1 && spots.some((s) => /What to do:/.test(s)), JSON.stringify(spots));
  const ai = await panel.evaluate("[...document.querySelectorAll('#recommendations .tag.ai')].map((t) => t.getAttribute('aria-label'))");
  assert.deepEqual(ai, ['Written by AI: check it before you use it'], 'the AI recommendation is marked');
  await panel.waitFor("document.querySelectorAll('#pipeline-deals li').length > 5");
  const scores = await panel.evaluate("[...document.querySelectorAll('#pipeline-deals .score')].map((s) => Number(s.textContent)).filter((n) => !Number.isNaN(n))");
  assert.deepEqual(scores, [...scores].sort((a, b) => a - b), 'riskiest first');
  assert.match(await panel.text('pipeline-age'), /^Updated /);
  // A hostile deal name from the server is text: no element, no script ran.
  const link = await panel.evaluate("(() => { const a = [...document.querySelectorAll('#pipeline-deals a')].find((x) => x.textContent.includes('Zorg')); return { text: a.textContent, children: a.childElementCount, images: document.images.length, title: document.title }; })()");
  assert.equal(link.text, '<img src=x onerror="document.title=\'pwned\'">Zorg & <b>Sons</b>');
  assert.equal(link.children, 0);
  assert.equal(link.images, 0);
  assert.notEqual(link.title, 'pwned');
  assert.deepEqual(await axe(), [], 'no accessibility violations');
  await panel.screenshot(join(outputDir, 'panel-signed-in.png'));
});

test('a pipeline entry opens its record in the current tab', async () => {
  const href = await panel.evaluate("document.querySelector('#pipeline-deals a').href");
  assert.match(href, /^https:\/\/lightning-record-layout-en-us\.lightning\.force\.com\/lightning\/r\/Opportunity\/006\w{15}\/view$/);
  await panel.evaluate("document.querySelector('#pipeline-deals a').click()");
  await page.waitForURL(href);
  await page.goto(url('lightning-record-layout-en-us'));
});

test('the panel follows the active tab: another deal, back, and a page that is not an opportunity', async () => {
  const other = await browser.context.newPage();
  await other.goto(url('lightning-overdue-critical', '0065g00000QwErTAAV'));
  await waitForBadge(other, (b) => b && b.label);
  await panel.waitFor("document.getElementById('deal-title').textContent !== 'Acme — 500 Widgets' && !document.getElementById('local').hidden");
  const otherTitle = await panel.text('deal-title');
  await page.bringToFront();
  await panel.waitFor("document.getElementById('deal-title').textContent === 'Acme — 500 Widgets'");
  await other.bringToFront();
  await panel.waitFor(`document.getElementById('deal-title').textContent === ${JSON.stringify(otherTitle)}`);
  await other.goto('https://lightning-overdue-critical.lightning.force.com/lightning/o/Opportunity/list');
  await panel.waitFor("document.getElementById('deal-message').textContent.startsWith('Open an Opportunity')");
  assert.equal(await panel.evaluate(visible('local')), false);
  await other.close();
  await page.bringToFront();
});

test('a hostile page: the name and the stage in the reasons are shown as text', async () => {
  await page.goto(url('lightning-hostile-text'));
  await panel.waitFor("document.getElementById('deal-title').textContent.includes('שלום')");
  const shown = await panel.evaluate("({ title: document.getElementById('deal-title').textContent, elements: document.getElementById('deal-title').childElementCount, reasons: [...document.querySelectorAll('#local-reasons li')].map((li) => [li.textContent, li.childElementCount]), images: document.images.length, scripts: document.scripts.length })");
  assert.equal(shown.title, '<img src=x onerror=alert(1)> שלום 🚀 Deal');
  assert.equal(shown.elements, 0);
  assert.ok(shown.reasons.some(([text]) => text.includes('<img src=x onerror=alert(1)><b>Prospecting</b>')), JSON.stringify(shown.reasons));
  assert.ok(shown.reasons.every(([, children]) => children === 0));
  assert.equal(shown.images, 0);
  assert.equal(shown.scripts, 2, 'only the panel\'s own scripts (i18n.js, panel.js)');
  await page.goto(url('lightning-record-layout-en-us'));
});

test('loading, error with retry, and a stale analysis when the refresh fails', async () => {

  // Loading: the analysis of a new deal takes a while.
  await api.post('/__admin/faults', JSON.stringify([{ kind: 'latency', amount: 1500, pathPrefix: '/v1/opportunities/0065g00000ZxCvBAAV' }]));
  await page.goto(url('lightning-stale-page-de-de', '0065g00000ZxCvBAAV'));
  await panel.waitFor("document.getElementById('enriched-message').textContent === 'Loading…'");
  await panel.waitFor(visible('enriched-body'), { timeout: 8000 });
  // Error: the service fails every attempt; Retry succeeds once it recovers.
  await api.post('/__admin/faults', JSON.stringify([{ kind: '500', count: 4, pathPrefix: '/v1/opportunities/0065g00000QqQqQAAV' }]));
  await page.goto(url('lightning-dynamic-forms-en-us', '0065g00000QqQqQAAV'));
  await panel.waitFor("document.getElementById('enriched-message').textContent === 'The analysis could not be loaded.'", { timeout: 10000 });
  assert.equal(await panel.evaluate(visible('retry')), true);
  await eventually(async () => {
    await panel.click('retry');
    return panel.waitFor(visible('enriched-body'), { timeout: 4000 }).catch(() => false);
  }, { timeout: 20000, every: 10 });
  // Stale: cached, then the refresh fails: the last analysis stays, marked.
  await api.post('/__admin/faults', JSON.stringify([{ kind: '503', count: 10, amount: 0, pathPrefix: '/v1/opportunities/0065g00000QqQqQAAV' }]));
  await panel.click('refresh');
  await panel.waitFor("document.getElementById('enriched-message').textContent === 'Could not refresh: showing the last analysis.'", { timeout: 10000 });
  assert.equal(await panel.evaluate(visible('enriched-body')), true, 'the last analysis stays shown');
  await api.post('/__admin/faults', JSON.stringify([{ kind: '503', count: 0, pathPrefix: '/none' }]));
});

test('settings: opt-out, AI insights, theme; forced settings are disabled', async () => {
  const { worker } = browser;
  await page.goto(url('lightning-record-layout-en-us'));
  await panel.waitFor(visible('enriched-body'), { timeout: 8000 });
  await panel.click('setting-analytics');
  await eventually(async () => (await worker.evaluate(() => chrome.storage.local.get('feature_analyticsOptOut'))).feature_analyticsOptOut === true);
  assert.equal(await panel.evaluate("document.getElementById('setting-analytics').checked"), false);
  await panel.click('setting-ai');
  await eventually(async () => (await worker.evaluate(() => chrome.storage.local.get('cc.declineAi')))['cc.declineAi'] === true);
  await panel.waitFor("document.querySelectorAll('#recommendations .tag.ai').length === 0 && !document.getElementById('enriched-body').hidden", { timeout: 8000 });
  // The panel may draw the cached analysis without its AI items first (filtered) and ask for
  // the AI-free analysis a moment later: wait for that request, then for nothing else.
  const lastAnalysis = async () => (await api.get('/__admin/requests')).filter((r) => r.path.endsWith('/analysis')).at(-1);
  await eventually(async () => JSON.stringify((await lastAnalysis()).query) === JSON.stringify([['ai', 'exclude']]), { timeout: 5000 })
    .catch(async () => assert.fail(`declined: AI content is not even asked for; last request ${JSON.stringify(await lastAnalysis())}`));
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual((await lastAnalysis()).query, [['ai', 'exclude']], 'declined: no request for AI content after');
  await panel.evaluate("(() => { const s = document.getElementById('theme'); s.value = 'dark'; s.dispatchEvent(new Event('change')); })()");
  assert.equal(await panel.evaluate('document.documentElement.dataset.theme'), 'dark');
  assert.equal(await panel.evaluate("localStorage.getItem('cc.theme')"), '"dark"', 'kept by the panel (gloo-storage)');
  assert.deepEqual(await axe(), [], 'no accessibility violations in the dark theme');
  await panel.screenshot(join(outputDir, 'panel-dark.png'));
});

test('clear local data removes tokens, cache, portfolio and queue', async () => {
  const { worker } = browser;
  const before = await worker.evaluate(() => chrome.storage.local.get(null));
  assert.ok(before.session && Object.keys(before).some((k) => k.startsWith('cc.v1.portfolio:')));
  await panel.click('clear');
  await panel.waitFor("document.getElementById('clear-status').textContent !== ''");
  const after = await worker.evaluate(() => chrome.storage.local.get(null));
  // The privacy choices stay, and the sign-out generation (a counter, background/worker.js).
  assert.deepEqual(Object.keys(after).sort(), ['cc.declineAi', 'cc.signOutEpoch', 'feature_analyticsOptOut'], 'only the user\'s privacy choices stay');
  assert.deepEqual(await worker.evaluate(() => chrome.storage.session.get(null)), {});
  await panel.waitFor("document.getElementById('status').textContent.startsWith('Signed out')");
});
