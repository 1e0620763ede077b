// End-to-end: where a list row's badge is drawn, the row version of placement.test.mjs's "over
// no control". On every list fixture, styled as real pages (SLDS, the Classic-like stylesheet),
// and again with every row's name made long enough to fill its cell: each row badge lies over
// its own row's name cell only (the table cell, or the card or item of a board or split view),
// and over no control but its own row's link to its record. Hit-tested with
// `elementsFromPoint` at several points of the badge's box, through open shadow roots.
// A badge placed only by its static position after the name would cover the next column when
// the name fills its cell (docs/list-badges.png, last row, shows it kept within the name's).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { FIXTURE_TODAY, launch, nativeBin, root } from './browser.mjs';

const fixturesDir = join(root, 'tests', 'fixtures');
const LIST_FIXTURES = readdirSync(fixturesDir).filter((slug) => slug.startsWith('list-')).sort();

let standin;
let browser;
let page;

/** The served URL of a fixture (as lists.test.mjs serves it). */
function servedUrl(slug) {
  const meta = JSON.parse(readFileSync(join(fixturesDir, slug, 'meta.json'), 'utf8'));
  const url = new URL(meta.url);
  const domain = url.hostname.endsWith('.my.salesforce.com') ? 'my.salesforce.com' : 'lightning.force.com';
  return `https://${slug}.${domain}${url.pathname}${url.search}${url.hash}`;
}

/** How many rows `cc-health list` reads on the page. */
function rowCount(slug, url) {
  const out = execFileSync(nativeBin('cc-health'), ['list', join(fixturesDir, slug, 'page.html'), '--url', url, '--today', FIXTURE_TODAY]);
  return JSON.parse(out.toString()).length;
}

before(async () => {
  standin = await startStandin();
  browser = await launch({ port: standin.port });
  page = await browser.context.newPage();
});

after(async () => {
  await browser?.context.close().catch(() => {});
  await standin?.close();
});

/** In the page: every row badge's problems (empty when each lies over its own name cell only).
 *  Run in the page's own world; the hosts are page elements (their shadow roots are closed,
 *  but only their boxes are needed). */
function badgeProblems() {
  const ID = /006[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?/;
  // The row's name cell: a table cell, else the card or item that is the whole row.
  const CELL = 'td, th, [role="gridcell"], [role="rowheader"]';
  const ITEM = '.forceKanbanCard, .kanban-card, .slds-kanban__card, .slds-split-view__list-item, .forceSplitViewListItem, .forceListRecord, .slds-tile, lst-template-list-item-factory';
  const CONTROL = 'a[href], button, input, select, textarea, summary, [role="button"], [role="link"], [role="tab"], [role="menuitem"], [contenteditable="true"]';
  const parentOf = (node) => node.assignedSlot || node.parentElement || (node.parentNode && node.parentNode.host) || null;
  const closest = (node, selector) => {
    for (let element = node; element; element = parentOf(element)) if (element.matches && element.matches(selector)) return element;
    return null;
  };
  const within = (node, ancestor) => {
    for (let element = node; element; element = parentOf(element)) if (element === ancestor) return true;
    return false;
  };
  const describe = (element) => `<${element.localName}${element.className && typeof element.className === 'string' ? ` class="${element.className}"` : ''}>${(element.textContent || '').trim().slice(0, 40)}`;
  const hosts = [];
  const visit = (root) => {
    hosts.push(...root.querySelectorAll('cc-deal-health-row'));
    for (const element of root.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
  };
  visit(document);
  // The page's topmost element at a point, through open shadow roots, our own host skipped.
  const topmost = (host, x, y) => {
    let stack = document.elementsFromPoint(x, y).filter((element) => element !== host);
    let element = stack[0];
    for (let depth = 0; element && element.shadowRoot && depth < 8; depth += 1) {
      const root = element.shadowRoot;
      stack = root.elementsFromPoint(x, y).filter((e) => e !== host && root.contains(e));
      if (!stack.length) break;
      element = stack[0];
    }
    return element;
  };
  const problems = [];
  for (const host of hosts) {
    const rect = host.getBoundingClientRect();
    const cell = closest(parentOf(host), CELL) || closest(parentOf(host), ITEM);
    let recordId = null;
    for (let element = host.previousElementSibling || parentOf(host); element && !recordId; element = parentOf(element)) {
      const value = ['href', 'data-recordid', 'data-row-key-value', 'data-record-id'].map((a) => element.getAttribute && element.getAttribute(a)).find((v) => v && ID.test(v));
      if (value) recordId = value.match(ID)[0].slice(0, 15);
    }
    const who = `the badge of ${recordId} at ${[rect.x, rect.y, rect.width, rect.height].map(Math.round).join(',')}`;
    if (!cell) {
      problems.push(`${who}: no name cell around it`);
      continue;
    }
    if (rect.width < 4 || rect.height < 4) {
      problems.push(`${who}: not drawn`);
      continue;
    }
    const inset = 1.5;
    const points = [[rect.left + inset, rect.top + inset], [rect.right - inset, rect.top + inset],
      [rect.left + inset, rect.bottom - inset], [rect.right - inset, rect.bottom - inset],
      [rect.left + rect.width / 2, rect.top + rect.height / 2], [rect.right - inset, rect.top + rect.height / 2]];
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue; // scrolled out of the viewport
      const element = topmost(host, x, y);
      if (!element) continue;
      if (element !== cell && !within(element, cell)) {
        problems.push(`${who}: at (${Math.round(x)}, ${Math.round(y)}) over ${describe(element)}, outside its row's name cell ${describe(cell)}`);
        continue;
      }
      for (let node = element; node && node !== cell; node = parentOf(node)) {
        if (!node.matches || !node.matches(CONTROL)) continue;
        const href = node.getAttribute('href') || node.getAttribute('data-recordid') || '';
        const own = ID.test(href) && href.match(ID)[0].slice(0, 15) === recordId;
        if (!own) problems.push(`${who}: at (${Math.round(x)}, ${Math.round(y)}) over the control ${describe(node)}`);
      }
    }
  }
  return { count: hosts.length, problems };
}

/** Every row's name made long enough to fill its cell, as a long Opportunity name renders: the
 *  text of the element each badge follows (the name's link, or a split view's name). */
function lengthenNames() {
  const hosts = [];
  const visit = (root) => {
    hosts.push(...root.querySelectorAll('cc-deal-health-row'));
    for (const element of root.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
  };
  visit(document);
  for (const host of hosts) {
    const name = host.previousElementSibling;
    if (name) name.textContent = `${name.textContent} — Enterprise Platform Renewal and Expansion, Phase Two (EMEA)`;
  }
  return hosts.length;
}

/** Polls the page until every badge lies right (or the time is up); returns the last answer. */
async function settled(expected) {
  const start = Date.now();
  let last;
  for (;;) {
    last = await page.evaluate(badgeProblems);
    if (last.count === expected && last.problems.length === 0) return last;
    if (Date.now() - start > 8000) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const slug of LIST_FIXTURES) {
  test(`${slug}: each row badge lies over its own name cell only, the names as given and made long`, async () => {
    const url = servedUrl(slug);
    const expected = rowCount(slug, url);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(url, { waitUntil: 'load' });
    const given = await settled(expected);
    assert.equal(given.count, expected, 'a badge per row');
    assert.deepEqual(given.problems, [], 'names as given');
    assert.equal(await page.evaluate(lengthenNames), expected);
    const long = await settled(expected);
    assert.equal(long.count, expected, 'a badge per row after the names changed');
    assert.deepEqual(long.problems, [], 'names that fill their cells');
  });
}

test('a narrower window: the badges stay within their cells as the columns shrink', async () => {
  const slug = 'list-lightning-grid-en-us';
  const url = servedUrl(slug);
  const expected = rowCount(slug, url);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(url, { waitUntil: 'load' });
  assert.deepEqual((await settled(expected)).problems, []);
  await page.setViewportSize({ width: 760, height: 800 });
  const narrow = await settled(expected);
  assert.equal(narrow.count, expected);
  assert.deepEqual(narrow.problems, [], 'after the window narrowed');
});
