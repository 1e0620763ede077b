// What the extension costs the pages it runs on, as counts that a noisy machine cannot blur
// (the timings are the bench's: tests/bench/page-cost.mjs). On a Salesforce page that is
// neither an Opportunity record nor a page that lists Opportunities (a list view, the board, an
// Account's related list) nothing of the core is fetched or compiled and nothing is evaluated;
// on those the core is compiled once per tab, whatever the in-app navigation, and after leaving
// them for another page no evaluation runs. Counted from the browser's side:
// the scripts V8 parsed (CDP Debugger.scriptParsed, every world of the tab) and the content
// script's `cc-evaluate` User Timing measures.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStandin } from '../server/salesforce-standin.mjs';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { countEvaluations, dist, fixtureBody, launch, waitForBadge } from './browser.mjs';

const host = 'https://lightning-record-layout-en-us.lightning.force.com';
const OTHER_PAGES = {
  'a Contact record (a full record page)': `${host}/lightning/r/Contact/0035g00000XyZabAAB/view`,
  'an Accounts list view': `${host}/lightning/o/Account/list?filterName=Recent`,
  'Home': `${host}/lightning/page/home`,
  'Setup': 'https://acme.lightning.force.com/lightning/setup/SetupOneHome/home',
  'Classic, a Contact': 'https://acme.my.salesforce.com/0035g00000XyZab',
  'Classic, the Accounts tab': 'https://acme.my.salesforce.com/001/o',
};
const LIST = 'https://list-lightning-grid-en-us.lightning.force.com/lightning/o/Opportunity/list?filterName=AllOpportunities';

let standin;
let browser;

before(async () => {
  standin = await startStandin();
  browser = await launch({ port: standin.port });
});

after(async () => {
  await browser?.context.close().catch(() => {});
  await standin?.close();
});

/** A new tab whose parsed scripts and evaluations are counted from before its first load. */
async function countedPage() {
  const page = await browser.context.newPage();
  await countEvaluations(page);
  const cdp = await browser.context.newCDPSession(page);
  const parsed = [];
  cdp.on('Debugger.scriptParsed', (event) => parsed.push(event.url));
  await cdp.send('Debugger.enable');
  // Every script of ours V8 parsed in this tab, by path (the core's URL has a per-session host).
  const ours = () => parsed.filter((url) => url.startsWith('chrome-extension://')).map((url) => new URL(url).pathname).sort();
  const count = async () => ({
    scripts: ours(),
    core: ours().filter((path) => path.startsWith('/content/core')).length,
    evaluations: await page.evaluate(() => window.ccEvaluations),
  });
  return { page, count, close: async () => { await cdp.detach().catch(() => {}); await page.close(); } };
}


for (const [name, url] of Object.entries(OTHER_PAGES)) {
  test(`${name}: only the gate runs, the core is never loaded, nothing is evaluated`, async () => {
    const tab = await countedPage();
    await tab.page.goto(url, { waitUntil: 'load' });
    // Changes to the page, as an app makes all the time: nothing is watching them.
    await tab.page.evaluate(async () => {
      for (let i = 0; i < 20; i += 1) {
        document.body.append(document.createElement('div'));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    await tab.page.waitForTimeout(500);
    assert.deepEqual(await tab.count(), { scripts: ['/content/gate.js'], core: 0, evaluations: 0 });
    await tab.close();
  });
}

test('an Opportunity record: the core is compiled once per tab, one evaluation per in-app view, none after leaving', async () => {
  const tab = await countedPage();
  await tab.page.goto(`${host}/lightning/r/Opportunity/0065g00000AbCdEAAV/view`, { waitUntil: 'load' });
  await waitForBadge(tab.page, (b) => b && b.label);
  await tab.page.waitForTimeout(500); // past the debounce: a late second evaluation would show
  const first = await tab.count();
  // Real WebAssembly: the stand-in sends no CSP here (Lightning's allows it too, below).
  assert.deepEqual(first.scripts, ['/content/core-wasm.mjs', '/content/core.wasm', '/content/gate.js', '/content/main.js']);
  assert.equal(first.evaluations, 1, 'one evaluation for the first view');

  const go = (inner, path) => tab.page.evaluate(({ inner, path }) => {
    document.body.setHTMLUnsafe(inner);
    history.pushState({}, '', path);
  }, { inner, path });
  // To another object's list view and its changes: no evaluation loop left running there.
  await go('<div class="oneContent active lafPageHost"><h1>Recently Viewed</h1><table></table></div>', '/lightning/o/Account/list');
  await waitForBadge(tab.page, (b) => b === null);
  const left = await tab.count();
  await tab.page.evaluate(async () => {
    for (let i = 0; i < 20; i += 1) {
      document.querySelector('table').append(document.createElement('tr'));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  await tab.page.waitForTimeout(500);
  assert.equal((await tab.count()).evaluations, left.evaluations, 'no evaluation on the list view after it was left for');

  // Back to another Opportunity in-app: the core already loaded, one evaluation.
  await go(fixtureBody('lightning-overdue-critical'), '/lightning/r/Opportunity/0065g00000QwErTAAV/view');
  await waitForBadge(tab.page, (b) => b && b.label);
  await tab.page.waitForTimeout(500);
  const last = await tab.count();
  assert.deepEqual(last.scripts, first.scripts, 'the core compiled once per tab');
  assert.equal(last.evaluations - left.evaluations, 1, 'one evaluation for the in-app view');
  await tab.close();
});

test('an Opportunity list view: the core is compiled once, one evaluation for the view, none after leaving', async () => {
  const tab = await countedPage();
  await tab.page.goto(LIST, { waitUntil: 'load' });
  await tab.page.waitForFunction(() => document.querySelectorAll('cc-deal-health-row').length > 0);
  await tab.page.waitForTimeout(500);
  const first = await tab.count();
  assert.deepEqual(first.scripts, ['/content/core-wasm.mjs', '/content/core.wasm', '/content/gate.js', '/content/main.js']);
  assert.equal(first.evaluations, 1, 'one evaluation for the first view');
  // A change to the list: one more evaluation, after the debounce.
  await tab.page.evaluate(() => { document.querySelector('lightning-formatted-date-time').textContent = '1/5/2026'; });
  await tab.page.waitForTimeout(500);
  assert.equal((await tab.count()).evaluations, 2);
  // To Home in-app: the badges go, and the page's changes there are not watched.
  await tab.page.evaluate(() => {
    document.body.setHTMLUnsafe('<div class="oneContent active lafPageHost"><h1>Home</h1></div>');
    history.pushState({}, '', '/lightning/page/home');
  });
  await tab.page.waitForFunction(() => document.querySelectorAll('cc-deal-health-row').length === 0);
  const left = await tab.count();
  await tab.page.evaluate(async () => {
    for (let i = 0; i < 20; i += 1) {
      document.body.append(document.createElement('div'));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  await tab.page.waitForTimeout(500);
  const last = await tab.count();
  assert.equal(last.evaluations, left.evaluations, 'no evaluation after leaving the list');
  assert.deepEqual(last.scripts, first.scripts, 'the core compiled once per tab');
  await tab.close();
});

// Which build of the core a record page gets: real WebAssembly wherever the page's CSP lets the
// content script compile it, the JavaScript translation where it does not; never both.
for (const [name, csp, expected] of [
  ["Lightning's CSP ('unsafe-eval', connect-src 'self')", 'lightning', ['/content/core-wasm.mjs', '/content/core.wasm']],
  ["a strict script-src 'self'", 'strict', ['/content/core.mjs']],
  ['eval allowed, connect-src none (the content script fetches its own file all the same)', 'eval-no-fetch', ['/content/core-wasm.mjs', '/content/core.wasm']],
  ['no eval and no fetch', 'locked', ['/content/core.mjs']],
]) {
  test(`under ${name} the record page gets ${expected.join(' + ')}, once`, async () => {
    const tab = await countedPage();
    await tab.page.goto(`${host}/lightning/r/Opportunity/0065g00000AbCdEAAV/view?csp=${csp}`, { waitUntil: 'load' });
    await waitForBadge(tab.page, (b) => b && b.label);
    await tab.page.waitForTimeout(300);
    const counted = await tab.count();
    assert.deepEqual(counted.scripts, [...expected, '/content/gate.js', '/content/main.js'].sort());
    assert.equal(counted.evaluations, 1);
    await tab.close();
  });
}

test('a WebAssembly core that fails to load falls back to the JavaScript build: the badge still shows', async () => {
  // A copy of the extension whose core.wasm is damaged, in a browser of its own.
  const copy = join(mkdtempSync(join(tmpdir(), 'cc-broken-wasm-')), 'dist');
  cpSync(dist, copy, { recursive: true });
  writeFileSync(join(copy, 'content', 'core.wasm'), 'not WebAssembly');
  const other = await launch({ port: standin.port, extensionPath: copy });
  try {
    const page = await other.context.newPage();
    const cdp = await other.context.newCDPSession(page);
    const parsed = [];
    cdp.on('Debugger.scriptParsed', (event) => { if (event.url.startsWith('chrome-extension://')) parsed.push(new URL(event.url).pathname); });
    await cdp.send('Debugger.enable');
    await page.goto(`${host}/lightning/r/Opportunity/0065g00000AbCdEAAV/view?csp=lightning`, { waitUntil: 'load' });
    // A fresh browser compiles both builds cold: on a busy machine that takes a while.
    await waitForBadge(page, (b) => b && b.label, { timeout: 20000 });
    assert.ok(parsed.includes('/content/core.mjs'), `the JavaScript build was loaded: ${parsed}`);
  } finally {
    await other.context.close().catch(() => {});
    rmSync(dirname(copy), { recursive: true, force: true });
  }
});

test('from a page without a deal, an in-app navigation to an Opportunity imports the content script and draws the badge', async () => {
  const tab = await countedPage();
  await tab.page.goto(`${host}/lightning/o/Account/list?filterName=Recent`, { waitUntil: 'load' });
  await tab.page.waitForTimeout(300);
  assert.deepEqual((await tab.count()).scripts, ['/content/gate.js'], 'only the gate on the Accounts list view');
  await tab.page.evaluate(({ inner, path }) => {
    document.body.setHTMLUnsafe(inner);
    history.pushState({}, '', path);
  }, { inner: fixtureBody('lightning-record-layout-en-us'), path: '/lightning/r/Opportunity/0065g00000AbCdEAAV/view' });
  await waitForBadge(tab.page, (b) => b && b.label);
  await tab.page.waitForTimeout(500);
  const counted = await tab.count();
  assert.deepEqual(counted.scripts, ['/content/core-wasm.mjs', '/content/core.wasm', '/content/gate.js', '/content/main.js']);
  assert.equal(counted.evaluations, 1, 'one evaluation for the view');
  await tab.close();
});

// V8's explicit compile hint (build.sh): the modules a record page runs are compiled off the
// main thread as they stream in, not function by function on the page's main thread.
test('the content script and the core\'s glue carry V8\'s compile hint on their first line', () => {
  for (const file of ['content/main.js', 'content/core-wasm.mjs']) {
    assert.equal(readFileSync(join(dist, file), 'utf8').split('\n', 1)[0], '//# allFunctionsCalledOnLoad', file);
  }
});

test('the content script and the core are not reachable at their fixed extension URL, nor named in the page\'s timeline', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${host}/lightning/o/Opportunity/list`);
  for (const file of ['content/main.js', 'content/core.mjs', 'content/core-wasm.mjs', 'content/core.wasm']) {
    const outcome = await page.evaluate(async (url) => {
      try {
        const response = await fetch(url);
        return `status ${response.status}`;
      } catch (error) {
        return `refused: ${error.name}`;
      }
    }, `chrome-extension://${browser.extensionId}/${file}`);
    assert.match(outcome, /^refused/, file);
  }
  // Nor does the page learn the per-session URL from its timeline: the gate's and the content
  // script's imports leave no resource entry in the page's world.
  await page.close();
  const record = await browser.context.newPage();
  await record.addInitScript(() => {
    window.ccResources = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.ccResources.push(entry.name);
    }).observe({ type: 'resource', buffered: true });
  });
  await record.goto(`${host}/lightning/r/Opportunity/0065g00000AbCdEAAV/view?csp=lightning`, { waitUntil: 'load' });
  await waitForBadge(record, (b) => b && b.label);
  const seen = await record.evaluate(() => [...window.ccResources, ...performance.getEntriesByType('resource').map((e) => e.name)]);
  assert.deepEqual(seen.filter((name) => !name.startsWith('https://')), [], 'no chrome-extension: entry in the page\'s timeline');
  await record.close();
});
