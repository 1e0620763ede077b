// End-to-end, issue 19: a badge on every row of an Opportunity list (list views, the Kanban
// board, split view, Classic, an Account's related list), in the real extension in Chromium.
// Every list fixture's badges equal `cc-health list` on the same page, URL and date; the badges
// move no cell; they follow rows added and removed (virtual scrolling), a cell edited in the
// grid and rows reordered (sorting), also where the list is drawn in native shadow DOM (the
// observer watches the shadow roots the core names); page text stays text; and leaving the list
// in-app leaves no badge behind. Needs target/debug/cc-health and a build (CC_DIST).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { countEvaluations, eventually, FIXTURE_TODAY, fixtureBody, launch, nativeBin, openPanelPage, readBadge, readRowBadges as readRowBadgesOf, root } from './browser.mjs';

const fixturesDir = join(root, 'tests', 'fixtures');
const cli = nativeBin('cc-health');
const LIST_FIXTURES = readdirSync(fixturesDir).filter((slug) => slug.startsWith('list-')).sort();
const GRID = 'list-lightning-grid-en-us';

let standin;
let browser;
let page;

/** The served URL of a fixture: its slug is the host's first label, its real path kept. */
function servedUrl(slug) {
  const meta = JSON.parse(readFileSync(join(fixturesDir, slug, 'meta.json'), 'utf8'));
  const url = new URL(meta.url);
  const domain = url.hostname.endsWith('.my.salesforce.com') ? 'my.salesforce.com' : 'lightning.force.com';
  return `https://${slug}.${domain}${url.pathname}${url.search}${url.hash}`;
}

/** What `cc-health list` says for the same page, URL and date (no locale: as the browser). */
function cliRows(slug, url) {
  const out = execFileSync(cli, ['list', join(fixturesDir, slug, 'page.html'), '--url', url, '--today', FIXTURE_TODAY]);
  return JSON.parse(out.toString());
}

/** What `cc-health list` says for `html` (a fixture edited as a test edits the page) at `url`. */
function cliRowsOfPage(html, url) {
  const file = join(mkdtempSync(join(tmpdir(), 'cc-list-')), 'page.html');
  writeFileSync(file, html);
  const out = execFileSync(cli, ['list', file, '--url', url, '--today', FIXTURE_TODAY]);
  return JSON.parse(out.toString());
}

/** A row badge's accessible name for a row's score: the record badge's words. */
function expectedName(score) {
  switch (score.band) {
    case 'won': return 'Deal health: closed won';
    case 'lost': return 'Deal health: closed lost';
    case 'unknown': return 'Deal health: not enough data';
    default: return `Deal health ${score.value} of 100, ${score.band.replace('_', ' ')}`;
  }
}

/** The pill's colour per band (content/main.js's tones). */
const TONES = {
  healthy: 'rgb(46, 132, 74)', at_risk: 'rgb(254, 147, 57)', critical: 'rgb(186, 5, 23)',
  won: 'rgb(1, 118, 211)', lost: 'rgb(116, 116, 116)', unknown: 'rgb(112, 110, 107)',
};

const ID = /006[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?/;

/** Every row badge in document order (browser.mjs's readRowBadges), of the test's page. */
const readRowBadges = (target = page) => readRowBadgesOf(target);

const id15 = (id) => id && id.slice(0, 15);

/** Waits until the row badges satisfy `predicate`; returns them. */
async function waitForRows(predicate, { timeout = 5000 } = {}) {
  let last = null;
  await eventually(async () => {
    last = await readRowBadges();
    return predicate(last);
  }, { timeout }).catch(() => {
    throw new Error(`row badges not as expected in ${timeout} ms; last: ${JSON.stringify(last?.map((b) => [b.recordId, b.label]))}`);
  });
  return last;
}

/** The boxes of the list's cells and rows (the page's own elements, open shadow roots too). */
const cellBoxes = () => page.evaluate(() => {
  const selector = 'td, th, tr, .slds-kanban__card, .forceKanbanCard, .kanban-card, .slds-split-view__list-item, .x-grid3-row, .x-grid3-cell, .slds-tile, .forceListRecord';
  const cells = [];
  const visit = (root) => {
    cells.push(...root.querySelectorAll(selector));
    for (const element of root.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
  };
  visit(document);
  return cells.map((cell) => {
    const r = cell.getBoundingClientRect();
    return [r.x, r.y, r.width, r.height].map((n) => Math.round(n * 100) / 100).join(',');
  });
});

before(async () => {
  standin = await startStandin();
  browser = await launch({ port: standin.port });
  // The rep has opened the side panel in this browser session: every list is reported to the
  // worker (the tests below read those reports). Before that nothing is: list-report.test.mjs.
  await openPanelPage(browser);
  page = await browser.context.newPage();
});

after(async () => {
  await browser?.context.close().catch(() => {});
  await standin?.close();
});

for (const slug of LIST_FIXTURES) {
  test(`${slug}: a badge per row, equal to cc-health list; no cell moves`, async () => {
    const url = servedUrl(slug);
    const expected = cliRows(slug, url);
    assert.ok(expected.length > 0, 'the CLI reads rows');
    await page.goto(url, { waitUntil: 'load' });
    const badges = await waitForRows((found) => found.length === expected.length && found.every((b) => b.label));
    assert.deepEqual(badges.map((b) => id15(b.recordId)), expected.map((row) => id15(row.recordId)), 'one badge per row, in page order, beside its own row');
    for (const [index, row] of expected.entries()) {
      const badge = badges[index];
      const reason = row.score.reasons[0];
      assert.equal(badge.shadowRootType, 'closed');
      assert.equal(badge.label, reason ? `${expectedName(row.score)}. ${reason.message}` : expectedName(row.score), row.recordId);
      assert.equal(badge.reason, reason ? reason.message : null, row.recordId);
      assert.ok(badge.className.split(' ').includes(`tone-${row.score.band}`), `${row.recordId}: ${badge.className}`);
      const shows = row.score.band === 'won' ? 'Won' : row.score.band === 'lost' ? 'Lost' : row.score.value == null ? '?' : String(row.score.value);
      assert.equal(badge.shows, shows, row.recordId);
      assert.equal(badge.textNodes, 0, 'the badge holds no text node');
      assert.equal(badge.background, TONES[row.score.band], `${row.recordId}: the ${row.score.band} colour`);
      assert.ok(badge.rect.w > 0 && badge.rect.h > 0, `${row.recordId} is drawn`);
    }
    // The badges take no room: every cell and row has the same box without them.
    const withBadges = await cellBoxes();
    await page.evaluate(() => { for (const host of document.querySelectorAll('cc-deal-health-row')) host.remove(); });
    const without = await cellBoxes();
    assert.ok(withBadges.length > 0);
    assert.deepEqual(withBadges, without, 'a badge moved or resized a cell');
  });
}

/** The grid fixture's visible list: its body, and a row by record Id. */
const ACTIVE_ROW = 'tr[data-row-key-value="0065g00000Ls001AAA"]';

async function openGrid() {
  await page.goto(servedUrl(GRID), { waitUntil: 'load' });
  const expected = cliRows(GRID, servedUrl(GRID));
  await waitForRows((found) => found.length === expected.length);
  return expected;
}

test('rows added and removed (virtual scrolling) gain and lose their badges', async () => {
  const expected = await openGrid();
  await page.evaluate((selector) => {
    const row = document.querySelector(selector);
    const body = row.parentElement;
    // Two new rows at the end, as a scrolled list view renders them; the first row goes.
    for (const n of ['8', '9']) {
      const copy = row.cloneNode(true);
      // Rendered from data, as Lightning renders a row: nothing of the extension in it.
      for (const host of copy.querySelectorAll('cc-deal-health-row')) host.remove();
      const id = `0065g00000Ls00${n}AAA`;
      copy.setAttribute('data-row-key-value', id);
      const link = copy.querySelector('a[href*="0065g"]');
      link.setAttribute('href', `/lightning/r/${id}/view`);
      link.textContent = `Scrolled deal ${n}`;
      body.append(copy);
    }
    row.remove();
  }, ACTIVE_ROW);
  const badges = await waitForRows((found) => found.some((b) => b.recordId === '0065g00000Ls009AAA')
    && !found.some((b) => b.recordId === '0065g00000Ls001AAA'));
  assert.equal(badges.length, expected.length + 1);
  const added = badges.find((b) => b.recordId === '0065g00000Ls008AAA');
  assert.ok(added && added.label, 'the added row has its badge');
});

test('an inline edit of a cell re-scores its row; sorting keeps each badge on its row', async () => {
  const expected = await openGrid();
  const first = expected.find((row) => row.recordId === '0065g00000Ls001AAA');
  const before = (await readRowBadges()).find((b) => b.recordId === first.recordId);
  assert.equal(before.label.split('.')[0], expectedName(first.score));
  // The Close Date edited to a date past: the row's score changes, the others' do not.
  await page.evaluate((selector) => {
    document.querySelector(`${selector} td[data-label="Close Date"] lightning-formatted-date-time`).textContent = '1/5/2026';
  }, ACTIVE_ROW);
  const edited = await waitForRows((found) => {
    const badge = found.find((b) => b.recordId === first.recordId);
    return badge && badge.label !== before.label;
  });
  assert.notEqual(edited.find((b) => b.recordId === first.recordId).shows, before.shows);
  const others = (found) => found.filter((b) => b.recordId !== first.recordId).map((b) => b.label);
  assert.deepEqual(others(edited), others(await readRowBadges()));
  // Sorted the other way: the rows reversed, each badge still right after its own row's name.
  await page.evaluate((selector) => {
    const body = document.querySelector(selector).parentElement;
    body.append(...[...body.children].reverse());
  }, ACTIVE_ROW);
  const sorted = await waitForRows((found) => found[0].recordId !== edited[0].recordId);
  assert.deepEqual(sorted.map((b) => b.recordId), edited.map((b) => b.recordId).reverse());
  assert.deepEqual(sorted.map((b) => b.label).sort(), edited.map((b) => b.label).sort());
});

// An unchanged row is answered as "the same" (list::answer): its badge is not drawn again, but
// one the page took away is put back.
test('a badge the page removed comes back though its row did not change', async () => {
  const expected = await openGrid();
  const before = await readRowBadges();
  await page.evaluate((selector) => {
    document.querySelector(`${selector} cc-deal-health-row`).remove();
  }, ACTIVE_ROW);
  // Another row edited meanwhile: that row is drawn anew, the removed one's is put back.
  await page.evaluate(() => {
    const cell = document.querySelector('tr[data-row-key-value="0065g00000Ls002AAA"] td[data-label="Close Date"] lightning-formatted-date-time');
    cell.textContent = '1/6/2026';
  });
  const after = await waitForRows((found) => found.length === expected.length
    && found.find((b) => b.recordId === '0065g00000Ls002AAA')?.label !== before.find((b) => b.recordId === '0065g00000Ls002AAA').label);
  const active = (found) => found.find((b) => b.recordId === '0065g00000Ls001AAA');
  assert.equal(active(after).label, active(before).label);
  assert.equal(active(after).shadowRootType, 'closed');
});

test('hostile text in a cell stays text in the row badge', async () => {
  await openGrid();
  // A stage the score names in its reason (a close date within the week, an unknown stage).
  await page.evaluate((selector) => {
    window.ccPwned = 0;
    document.querySelector(`${selector} td[data-label="Stage"] lightning-base-formatted-text`).textContent =
      '<img src=x onerror="window.ccPwned=1"><b>Stage</b>';
    document.querySelector(`${selector} td[data-label="Close Date"] lightning-formatted-date-time`).textContent = '11/26/2026';
  }, ACTIVE_ROW);
  const badges = await waitForRows((found) => {
    const badge = found.find((b) => b.recordId === '0065g00000Ls001AAA');
    return badge && badge.label && badge.label.includes('<img');
  });
  const badge = badges.find((b) => b.recordId === '0065g00000Ls001AAA');
  assert.ok(badge.reason.includes('<img src=x onerror="window.ccPwned=1"><b>Stage</b>'), badge.reason);
  assert.deepEqual([...new Set(badge.tags)].sort(), ['DIV', 'SPAN'], 'no element but the badge\'s own');
  assert.equal(await page.evaluate(() => window.ccPwned), 0);
});

test('leaving the list in-app removes every row badge; back on a record, one record badge', async () => {
  await openGrid();
  // To Home: the DOM swapped, the URL pushed (no reload).
  await page.evaluate(() => {
    document.body.setHTMLUnsafe('<div class="oneContent active lafPageHost"><h1>Home</h1><table><tbody></tbody></table></div>');
    history.pushState({}, '', '/lightning/page/home');
  });
  await waitForRows((found) => found.length === 0);
  // Back to the list, in-app: the badges come back.
  const expected = cliRows(GRID, servedUrl(GRID));
  await page.evaluate((inner) => {
    document.body.setHTMLUnsafe(inner);
    history.pushState({}, '', '/lightning/o/Opportunity/list?filterName=AllOpportunities');
  }, fixtureBody(GRID));
  await waitForRows((found) => found.length === expected.length);
  // Then to an Opportunity record: its badge, and no row badge left.
  await page.evaluate((inner) => {
    document.body.setHTMLUnsafe(inner);
    history.pushState({}, '', '/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  }, fixtureBody('lightning-record-layout-en-us'));
  await waitForRows((found) => found.length === 0);
  await eventually(async () => (await readBadge(page))?.label);
});

test('list to list in-app: only the new list\'s rows get badges, the previous one kept hidden', async () => {
  const expected = await openGrid();
  // As Lightning moves to another list view: the page shown so far stays in the DOM without
  // `active` (hidden), a new page host shows the other list's rows, then the URL is pushed.
  await page.evaluate(() => {
    const shown = document.querySelector('.lafPageHost.active');
    const next = shown.cloneNode(true);
    for (const host of next.querySelectorAll('cc-deal-health-row')) host.remove();
    const other = (value) => value.replace(/0065g00000Ls0/g, '0065g00000Lt0');
    for (const element of next.querySelectorAll('[data-row-key-value], a[href]')) {
      for (const name of ['data-row-key-value', 'href']) {
        if (element.hasAttribute(name)) element.setAttribute(name, other(element.getAttribute(name)));
      }
    }
    shown.classList.remove('active');
    shown.after(next);
    history.pushState({}, '', '/lightning/o/Opportunity/list?filterName=MyOpportunities');
  });
  const badges = await waitForRows((found) => found.length === expected.length
    && found.every((b) => b.recordId && b.recordId.startsWith('0065g00000Lt0')));
  assert.equal(badges.length, expected.length, 'the new list\'s rows, each once; none of the hidden list');
});

/** The list report the worker keeps for the page's tab (the side panel's "this list"). */
const storedList = () => browser.worker.evaluate(async (url) => {
  const [tab] = (await chrome.tabs.query({})).filter((t) => t.url === url);
  if (!tab) return null;
  const key = `cc.list.${tab.id}`;
  return (await chrome.storage.session.get(key))[key] ?? null;
}, page.url());

/** Waits until the worker keeps a report of the list view `filter` for the tab; returns it. */
const reportedAs = (filter) => eventually(async () => {
  const stored = await storedList();
  return stored && stored.list.includes(`"${filter}"`) ? stored : null;
});

/** How long after a URL change the rows of the list it left hold back badges (the core's
 *  `list::previous::LIST_WAIT_AT_MOST_MS`). */
const LIST_WAIT_MS = 5000;

/** Moves the grid to the My Opportunities list view as Lightning may: the URL pushed first, the
 *  rows of All Opportunities left in place. Resolves once the content script has evaluated the
 *  new URL; returns the page's monotonic time of the push. */
async function pushOtherListOverRows() {
  return page.evaluate(() => new Promise((resolve) => {
    let pushedAt = 0;
    new PerformanceObserver((list, observer) => {
      if (pushedAt && list.getEntries().some((entry) => entry.name === 'cc-evaluate')) {
        observer.disconnect();
        resolve(pushedAt);
      }
    }).observe({ type: 'measure' });
    pushedAt = performance.now();
    history.pushState({}, '', '/lightning/o/Opportunity/list?filterName=MyOpportunities');
  }));
}

test('list to list, the URL pushed before the rows change: the rows left are not the new list\'s', async () => {
  const expected = await openGrid();
  assert.equal((await reportedAs('AllOpportunities')).summary.rows.length, expected.length);
  const pushedAt = await pushOtherListOverRows();
  // For a while, nothing: no badge beside the rows of the list left, no report of them as the
  // new list (the old code drew and reported them in the evaluation that followed the push).
  for (let look = 0; look < 10; look += 1) {
    const badges = await readRowBadges();
    assert.deepEqual(badges.map((b) => b.recordId), [], 'no badge for the list left on the page');
    const stored = await storedList();
    assert.ok(!stored || !stored.list.includes('"MyOpportunities"'), `reported as My Opportunities: ${JSON.stringify(stored?.summary.rows.map((r) => r.recordId))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(await page.evaluate((at) => performance.now() - at, pushedAt) < LIST_WAIT_MS, 'checked within the wait (else inconclusive)');
  // Lightning renders the new list's rows in place of the old ones: their badges, and the report.
  await page.evaluate(() => {
    const body = document.querySelector('.lafPageHost.active tr[data-row-key-value="0065g00000Ls001AAA"]').parentElement;
    for (const row of [...body.querySelectorAll('tr[data-row-key-value^="0065g00000Ls0"]')]) {
      const next = row.cloneNode(true);
      for (const host of next.querySelectorAll('cc-deal-health-row')) host.remove();
      for (const element of [next, ...next.querySelectorAll('[data-row-key-value], a[href]')]) {
        for (const name of ['data-row-key-value', 'href']) {
          if (element.hasAttribute(name)) element.setAttribute(name, element.getAttribute(name).replace(/0065g00000Ls0/g, '0065g00000Lt0'));
        }
      }
      row.replaceWith(next);
    }
  });
  const badges = await waitForRows((found) => found.length === expected.length
    && found.every((b) => b.label && b.recordId.startsWith('0065g00000Lt0')));
  assert.equal(badges.length, expected.length);
  const mine = await reportedAs('MyOpportunities');
  assert.ok(mine.summary.rows.every((row) => row.recordId.startsWith('0065g00000Lt0')), 'only the new list\'s rows reported');
  assert.equal(mine.summary.rows.length, expected.length);
});

test('list to list, the rows never re-rendered: they get their badges once the wait is over', async () => {
  const expected = await openGrid();
  await reportedAs('AllOpportunities');
  const pushedAt = await pushOtherListOverRows();
  // As Lightning may keep a row node for node when the next list view shows the same records.
  await waitForRows((found) => found.length === expected.length && found.every((b) => b.label), { timeout: LIST_WAIT_MS + 3000 });
  assert.ok(await page.evaluate((at) => performance.now() - at, pushedAt) >= LIST_WAIT_MS - 50, 'not before the wait is over');
  await reportedAs('MyOpportunities');
});

test('an element of the page named like a row badge is a change to the page, not the extension\'s own', async () => {
  const slug = 'list-kanban-en-us';
  const url = servedUrl(slug);
  const expected = cliRows(slug, url);
  await page.goto(url, { waitUntil: 'load' });
  await waitForRows((found) => found.length === expected.length);
  // A new card, rendered by the page inside an element it happens to name cc-deal-health-row.
  await page.evaluate(() => {
    const card = document.querySelector('.forceKanbanCard');
    const copy = card.cloneNode(true);
    for (const host of copy.querySelectorAll('cc-deal-health-row')) host.remove();
    copy.setAttribute('data-recordid', '0065g00000Kb009AAA');
    const link = copy.querySelector('a[href]');
    link.setAttribute('href', '/lightning/r/0065g00000Kb009AAA/view');
    link.textContent = 'Wrapped deal';
    const wrapper = document.createElement('cc-deal-health-row');
    wrapper.append(copy);
    card.parentElement.append(wrapper);
  });
  const ours = (found) => found.filter((b) => b.shadowRootType === 'closed'); // not the page's element
  const badges = ours(await waitForRows((found) => ours(found).some((b) => b.recordId === '0065g00000Kb009AAA' && b.label)));
  assert.equal(badges.length, expected.length + 1);
});

// Native shadow DOM (mixed mode): the datatable's rows live in its open shadow root, where the
// observer of the document sees no change. The core names that root (and any under a row it read
// through) and the content script observes them too: an edit, rows scrolled in and a value's own
// shadow root are followed there as in the light DOM.
const NATIVE = 'list-recently-viewed-native-shadow-en-us';
const NATIVE_TABLE = 'lightning-datatable';

/** The fixture's page with its text `from` replaced by `to` (once, where it is unique). */
function nativeEdited(from, to) {
  const html = readFileSync(join(fixturesDir, NATIVE, 'page.html'), 'utf8');
  assert.equal(html.split(from).length, 2, `${from} is unique in the fixture`);
  return html.replace(from, to);
}

/** The label a row's badge has for a row of `cc-health list`. */
const labelOf = (row) => {
  const reason = row.score.reasons[0];
  return reason ? `${expectedName(row.score)}. ${reason.message}` : expectedName(row.score);
};

async function openNative() {
  const url = servedUrl(NATIVE);
  const expected = cliRows(NATIVE, url);
  await page.goto(url, { waitUntil: 'load' });
  await waitForRows((found) => found.length === expected.length && found.every((b) => b.label));
  return { url, expected };
}

test('native shadow DOM: a cell edited inside the datatable\'s shadow root re-scores its row', async () => {
  const { url, expected } = await openNative();
  const id = '0065g00000Rv001AAA';
  const before = (await readRowBadges()).find((b) => b.recordId === id);
  assert.equal(before.label, labelOf(expected.find((row) => row.recordId === id)));
  // The Close Date edited inline to a date past, inside the shadow root alone.
  await page.evaluate(([table, rowId]) => {
    const shadow = document.querySelector(table).shadowRoot;
    shadow.querySelector(`tr[data-row-key-value="${rowId}"] td[data-label="Close Date"] lightning-formatted-date-time`).textContent = '1/5/2026';
  }, [NATIVE_TABLE, id]);
  const edited = cliRowsOfPage(nativeEdited('<lightning-formatted-date-time>3/31/2027<', '<lightning-formatted-date-time>1/5/2026<'), url);
  const want = edited.find((row) => row.recordId === id);
  assert.notEqual(labelOf(want), before.label, 'the edit changes the score');
  const badges = await waitForRows((found) => found.find((b) => b.recordId === id)?.label === labelOf(want));
  assert.deepEqual(badges.map((b) => b.label), edited.map(labelOf), 'every row as cc-health list reads the edited page');
});

test('native shadow DOM: rows scrolled into the datatable\'s shadow root gain badges, rows gone lose them', async () => {
  const { expected } = await openNative();
  await page.evaluate((table) => {
    const shadow = document.querySelector(table).shadowRoot;
    const row = shadow.querySelector('tr[data-row-key-value="0065g00000Rv001AAA"]');
    const body = row.parentElement;
    for (const n of ['8', '9']) {
      const copy = row.cloneNode(true);
      for (const host of copy.querySelectorAll('cc-deal-health-row')) host.remove();
      const id = `0065g00000Rv00${n}AAA`;
      copy.setAttribute('data-row-key-value', id);
      const link = copy.querySelector('a[href*="0065g"]');
      link.setAttribute('href', `/lightning/r/${id}/view`);
      link.textContent = `Scrolled deal ${n}`;
      body.append(copy);
    }
    row.remove();
  }, NATIVE_TABLE);
  const badges = await waitForRows((found) => found.some((b) => b.recordId === '0065g00000Rv009AAA')
    && !found.some((b) => b.recordId === '0065g00000Rv001AAA'));
  assert.equal(badges.length, expected.length + 1);
  for (const id of ['0065g00000Rv008AAA', '0065g00000Rv009AAA']) {
    const added = badges.find((b) => b.recordId === id);
    assert.ok(added && added.label === labelOf(expected[0]), `${id} has its badge: ${added?.label}`);
  }
});

test('native shadow DOM: a value in a shadow root of its own, nested in the datatable\'s, is followed', async () => {
  const { url } = await openNative();
  const id = '0065g00000Rv002AAA';
  // The content script's evaluations, counted (its `cc-evaluate` measures).
  await countEvaluations(page, { now: true });
  // As Salesforce's base components render it: the formatted number's text moves into the
  // component's own shadow root (a change in the datatable's root, evaluated: the new root is
  // watched from then on)...
  await page.evaluate(([table, rowId]) => {
    const shadow = document.querySelector(table).shadowRoot;
    const number = shadow.querySelector(`tr[data-row-key-value="${rowId}"] td[data-label="Amount"] lightning-formatted-number`);
    number.attachShadow({ mode: 'open' }).append(...number.childNodes);
  }, [NATIVE_TABLE, id]);
  const amount = '<lightning-formatted-number>$480,000.00</lightning-formatted-number>';
  const same = cliRowsOfPage(nativeEdited(amount, '<lightning-formatted-number><template shadowrootmode="open">$480,000.00</template></lightning-formatted-number>'), url);
  await eventually(() => page.evaluate(() => window.ccEvaluations > 0)).catch(() => {
    throw new Error('no evaluation followed a change in the datatable\'s shadow root');
  });
  await waitForRows((found) => found.find((b) => b.recordId === id)?.label === labelOf(same.find((row) => row.recordId === id)));
  // ...then the amount edited inside that nested root alone (its text node's data).
  await page.evaluate(([table, rowId]) => {
    const shadow = document.querySelector(table).shadowRoot;
    const number = shadow.querySelector(`tr[data-row-key-value="${rowId}"] td[data-label="Amount"] lightning-formatted-number`);
    number.shadowRoot.firstChild.data = '$0.00';
  }, [NATIVE_TABLE, id]);
  const edited = cliRowsOfPage(nativeEdited(amount, '<lightning-formatted-number><template shadowrootmode="open">$0.00</template></lightning-formatted-number>'), url);
  const want = edited.find((row) => row.recordId === id);
  assert.notEqual(labelOf(want), labelOf(same.find((row) => row.recordId === id)), 'the edit changes the score');
  const badges = await waitForRows((found) => found.find((b) => b.recordId === id)?.label === labelOf(want));
  assert.deepEqual(badges.map((b) => b.label), edited.map(labelOf));
  // The badges' own insertions in the watched roots are no change: the page, left alone, is
  // not evaluated again.
  await page.evaluate(() => { window.ccEvaluations = 0; });
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(await page.evaluate(() => window.ccEvaluations), 0, 'no evaluation of an unchanged page');
});

// A first view of a 200-card board is read in several evaluations (the core reads at most a
// few dozen items afresh per evaluation, and asks for the next at once): every card ends up with
// its badge, and the list is reported once, whole, never a part of it.
test('a 200-card board is read over several evaluations; every card gets its badge, the report is whole', async () => {
  const { LIST_BOARD, LIST_HEADERS, listBoard } = await import('../bench/list-pages.mjs');
  const html = listBoard(200);
  await page.route((u) => u.href === LIST_BOARD, (route) => route.fulfill({ status: 200, headers: LIST_HEADERS, body: html }));
  try {
    await countEvaluations(page);
    await page.goto(LIST_BOARD, { waitUntil: 'load' });
    const badges = await waitForRows((found) => found.length === 200 && found.every((b) => b.label), { timeout: 15000 });
    assert.equal(new Set(badges.map((b) => id15(b.recordId))).size, 200);
    const evaluations = await page.evaluate(() => window.ccEvaluations);
    assert.ok(evaluations >= 5, `${evaluations} evaluations: read in parts`);
    const stored = await eventually(async () => {
      const found = await storedList();
      return found && found.summary.total === 200 ? found : null;
    });
    assert.equal(stored.summary.rows.length, 100, 'the 100 riskiest of the whole board');
  } finally {
    await page.unroute((u) => u.href === LIST_BOARD);
  }
});
