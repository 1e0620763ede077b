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
import { countEvaluations, eventually, FIXTURE_TODAY, launch, nativeBin, openPanelPage, readRowBadges, root } from './browser.mjs';

const SLUG = 'list-lightning-grid-en-us';
const meta = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', SLUG, 'meta.json'), 'utf8'));
const LIST_URL = `https://${SLUG}.lightning.force.com${new URL(meta.url).pathname}${new URL(meta.url).search}`;
const ROWS = JSON.parse(execFileSync(nativeBin('cc-health'), ['list', join(root, 'tests', 'fixtures', SLUG, 'page.html'), '--url', LIST_URL, '--today', FIXTURE_TODAY]).toString());

let standin;
let browser;
// A browser of its own for the lists read a screenful at a time: the side panel, once asked,
// wants every list of the browser session.
let fresh;

before(async () => {
  standin = await startStandin();
  browser = await launch({ port: standin.port });
  fresh = await launch({ port: standin.port });
});

after(async () => {
  await browser?.context.close().catch(() => {});
  await fresh?.context.close().catch(() => {});
  await standin?.close();
});

/** The tab Id of `page`, as the worker knows it. */
const tabIdOf = (page, { worker } = browser) => worker.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id ?? null, page.url());

/** Every list report the worker keeps (session storage `cc.list.<tabId>`), by tab Id. */
const storedLists = ({ worker } = browser) => worker.evaluate(async () => Object.fromEntries(
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

/** The record Ids (15 characters) of the board's cards laid out within the viewport. */
const cardsInView = (page) => page.evaluate(() => [...document.querySelectorAll('.forceKanbanCard[data-recordid]')]
  .filter((card) => {
    const box = card.getBoundingClientRect();
    return box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth;
  })
  .map((card) => card.dataset.recordid.slice(0, 15)));
const badgedIds = async (page) => new Set((await readRowBadges(page)).filter((b) => b.label).map((b) => b.recordId.slice(0, 15)));

// The same in native shadow DOM: a scroll inside the datatable's shadow root never reaches the
// document, and still brings the rows it shows near.
test('signed out, rows scrolled into view inside a native shadow root get their badges', async () => {
  const slug = 'list-recently-viewed-native-shadow-en-us';
  const url = new URL(JSON.parse(readFileSync(join(root, 'tests', 'fixtures', slug, 'meta.json'), 'utf8')).url);
  const page = await fresh.context.newPage();
  await page.goto(`https://${slug}.lightning.force.com${url.pathname}${url.search}`, { waitUntil: 'load' });
  await eventually(async () => ((await readRowBadges(page)).some((b) => b.label) ? true : null), { timeout: 8000 });
  // Eighty more rows in a scroller of the datatable's own, as a long Recently Viewed list.
  const last = await page.evaluate(() => {
    const shadow = document.querySelector('lightning-datatable').shadowRoot;
    const row = shadow.querySelector('tr[data-row-key-value="0065g00000Rv001AAA"]');
    const table = row.closest('table');
    const scroller = document.createElement('div');
    scroller.style.cssText = 'height: 300px; overflow-y: auto';
    table.before(scroller);
    scroller.append(table);
    let id = '';
    for (let i = 0; i < 80; i++) {
      const copy = row.cloneNode(true);
      for (const host of copy.querySelectorAll('cc-deal-health-row')) host.remove();
      id = `0065g00000Rw${String(i).padStart(3, '0')}AAA`;
      copy.setAttribute('data-row-key-value', id);
      copy.querySelector('a[href*="0065g"]').setAttribute('href', `/lightning/r/${id}/view`);
      row.parentElement.append(copy);
    }
    return id;
  });
  await page.waitForTimeout(800);
  const before = await badgedIds(page);
  assert.ok(before.has('0065g00000Rw000'), 'the first added row, in view, is read');
  assert.ok(!before.has(last.slice(0, 15)), 'the last, far below, is not');
  await page.evaluate(() => {
    const scroller = document.querySelector('lightning-datatable').shadowRoot.querySelector('table').parentElement;
    scroller.scrollTop = scroller.scrollHeight;
  });
  await eventually(async () => ((await badgedIds(page)).has(last.slice(0, 15)) ? true : null), { timeout: 5000 });
  assert.deepEqual(await storedLists(fresh), {}, 'nothing reported');
  await page.close();
});

// Issue 19 (cost): while no list is wanted whole, a long board is read a screenful at a time.
// The cards laid out far from the viewport are left unread (no badge, nothing read of them);
// scrolling the list's own scroller brings its cards near, and they get their badges; once the
// side panel asks, every card is read and the whole board is reported.
test('signed out, a 200-card board reads the cards near the view, the rest as they come near or are wanted', async () => {
  const { LIST_BOARD, LIST_HEADERS, listBoard } = await import('../bench/list-pages.mjs');
  const html = listBoard(200);
  const own = fresh;
  const page = await own.context.newPage();
  await page.route((u) => u.href === LIST_BOARD, (route) => route.fulfill({ status: 200, headers: LIST_HEADERS, body: html }));
  await countEvaluations(page);
  await page.goto(LIST_BOARD, { waitUntil: 'load' });
  const inView = await cardsInView(page);
  assert.ok(inView.length >= 6, `${inView.length} cards in view`);
  const first = await eventually(async () => {
    const ids = await badgedIds(page);
    return inView.every((id) => ids.has(id)) ? ids : null;
  }, { timeout: 8000 });
  await page.waitForTimeout(800);
  const settled = await badgedIds(page);
  assert.equal(settled.size, first.size, 'nothing more read while the view stays');
  assert.ok(settled.size < 100, `${settled.size} of 200 cards read: those near the view only`);
  assert.deepEqual(await storedLists(own), {}, 'nothing reported');
  // Scroll events the page makes up are not the view moving: nothing is evaluated.
  const evaluations = await page.evaluate(() => window.ccEvaluations);
  await page.evaluate(() => { for (let i = 0; i < 5; i++) document.dispatchEvent(new Event('scroll')); });
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.ccEvaluations), evaluations, 'no evaluation for a synthetic scroll');

  // The first column becomes a scroller of its own (as Lightning's are), scrolled to its end:
  // its last cards come into view and get their badges.
  await page.evaluate(() => {
    const column = document.querySelector('.forceKanbanColumn');
    column.style.height = '600px';
    column.style.overflowY = 'auto';
  });
  await page.waitForTimeout(400);
  await page.evaluate(() => { const column = document.querySelector('.forceKanbanColumn'); column.scrollTop = column.scrollHeight; });
  const scrolledInto = await cardsInView(page);
  const lastOfColumn = await page.evaluate(() => [...document.querySelector('.forceKanbanColumn').querySelectorAll('.forceKanbanCard[data-recordid]')].pop().dataset.recordid.slice(0, 15));
  assert.ok(scrolledInto.includes(lastOfColumn), 'the column\'s last card is in view');
  assert.ok(!settled.has(lastOfColumn), 'and was not read before');
  await eventually(async () => {
    const ids = await badgedIds(page);
    return scrolledInto.every((id) => ids.has(id)) ? true : null;
  }, { timeout: 5000 });

  // The side panel asks: every card is read, and the whole board is reported.
  const tabId = await tabIdOf(page, own);
  await openPanelPage(own, tabId);
  const stored = await eventually(async () => {
    const found = (await storedLists(own))[tabId];
    return found && found.summary.total === 200 ? found : null;
  }, { timeout: 15000 });
  assert.equal(stored.summary.total, 200);
  assert.equal((await badgedIds(page)).size, 200, 'every card has its badge');
});

test('signed out, a list page reports its list only once the side panel has asked for it', async () => {
  assert.ok(ROWS.length >= 4, 'the fixture has rows');
  const first = await openList();
  // Every row drawn, and a few evaluations' time later still nothing sent: no report kept.
  await first.evaluate(() => {
    // (The list's own first row: the fixture's first row is a hidden stale page's.)
    const row = document.querySelector('tr[data-row-key-value^="0065g00000Ls"] td[data-label="Stage"] lightning-base-formatted-text');
    row.textContent = 'Closed Lost'; // an inline edit: a new summary, which waits too
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
