// End-to-end, issue 19 (what a list page costs and sends): a list page's summary goes to the
// worker only once something there wants it. Signed out, with the side panel never opened, a
// list page draws its badges and sends nothing at all; once the panel asks for the tab's view
// the tab reports its list (and the panel shows it), and from then on in the browser session
// every list page reports by itself. Signed in, lists are reported for their rows' scores
// (list-scores.test.mjs). Needs target/debug/cc-health and a build (CC_DIST).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { eventually, FIXTURE_TODAY, launch, nativeBin, openPanelPage, readRowBadges, root } from './browser.mjs';

const SLUG = 'list-lightning-grid-en-us';
const meta = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', SLUG, 'meta.json'), 'utf8'));
const LIST_URL = `https://${SLUG}.lightning.force.com${new URL(meta.url).pathname}${new URL(meta.url).search}`;
const ROWS = JSON.parse(execFileSync(nativeBin('cc-health'), ['list', join(root, 'tests', 'fixtures', SLUG, 'page.html'), '--url', LIST_URL, '--today', FIXTURE_TODAY]).toString());

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

/** The tab Id of `page`, as the worker knows it. */
const tabIdOf = (page) => browser.worker.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id ?? null, page.url());

/** Every list report the worker keeps (session storage `cc.list.<tabId>`), by tab Id. */
const storedLists = () => browser.worker.evaluate(async () => Object.fromEntries(
  Object.entries(await chrome.storage.session.get(null)).filter(([key]) => key.startsWith('cc.list.')).map(([key, value]) => [key.slice('cc.list.'.length), value]),
));

/** Opens the list in a new tab and waits for every row's badge. */
async function openList() {
  const page = await browser.context.newPage();
  await page.goto(LIST_URL, { waitUntil: 'load' });
  await eventually(async () => {
    const badges = await readRowBadges(page);
    return badges.length === ROWS.length && badges.every((b) => b.label);
  }, { timeout: 8000 });
  return page;
}

test('signed out, a list page reports its list only once the side panel has asked for it', async () => {
  assert.ok(ROWS.length >= 4, 'the fixture has rows');
  const first = await openList();
  // Every row drawn, and a few evaluations' time later still nothing sent: no report kept.
  await first.evaluate(() => {
    const row = document.querySelector('tr[data-row-key-value] td[data-label="Close Date"] lightning-formatted-date-time');
    row.textContent = '1/9/2026'; // an inline edit: a new summary, which waits too
  });
  await new Promise((resolve) => setTimeout(resolve, 800));
  assert.deepEqual(await storedLists(), {}, 'nothing reported while nothing wanted it');

  // The side panel shows beside the list's tab: the tab is asked, reports, and the panel's next
  // answer has the list.
  const tabId = await tabIdOf(first);
  await openPanelPage(browser, tabId);
  const stored = await eventually(async () => (await storedLists())[tabId] ?? null);
  assert.equal(stored.summary.total, ROWS.length);
  assert.equal(stored.summary.rows.length, ROWS.length);

  // From now on in this browser session a list page reports by itself.
  const second = await openList();
  const secondId = await tabIdOf(second);
  const own = await eventually(async () => (await storedLists())[secondId] ?? null);
  assert.equal(own.summary.total, ROWS.length);
  await first.close();
  await second.close();
});
