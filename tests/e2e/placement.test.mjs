// End-to-end: where the badge goes on pages styled like the real ones (Salesforce's own SLDS
// stylesheet on Lightning, with its fixed global header and the page scrolling under it; the
// Classic-like stylesheet on Classic). Beside the record name, over no control, moving nothing
// of the page; out of sight while the name is under the fixed header and back when it returns;
// the same in dark mode and at 200 % zoom (Chrome's own zoom, set through chrome.tabs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { dist, launch, readBadge, root } from './browser.mjs';

const outputDir = join(root, 'tests', 'e2e', 'output');
const LIGHTNING = {
  url: 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view',
  name: '.lafPageHost.active [slot="primaryField"]',
};
// The largest fixture (60 more fields, long related lists and activity): a page as long as real
// ones, so the name can be scrolled under the header at 100 %.
const LONG_LIGHTNING = {
  url: 'https://lightning-large-page-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view',
  name: LIGHTNING.name,
};
// A name that leaves no room after it at 200 %: its column ends where the actions begin.
const FULL_NAME_LIGHTNING = {
  url: 'https://lightning-nl-nl.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view',
  name: LIGHTNING.name,
};
// The edit page: no record name on it at all.
const EDIT_LIGHTNING = 'https://lightning-edit-mode.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/edit';
const CLASSIC = {
  url: 'https://classic-en-us.my.salesforce.com/0065g00000AbCdE',
  name: '.bPageTitle h2.pageDescription',
};
// Everything a user can click or focus on these pages.
const CONTROLS = 'button, a[href], input, select, textarea, [role="tab"], [role="option"], [tabindex]';

let standin;
let browser;

before(async () => {
  assert.ok(existsSync(join(dist, 'manifest.json')), 'run ./build.sh first');
  mkdirSync(outputDir, { recursive: true });
  standin = await startStandin();
  browser = await launch({ port: standin.port });
});

after(async () => {
  await browser?.context.close().catch(() => {});
  await standin?.close();
});

/** Polls `probe` every 20 ms until it returns a truthy value; returns the last value either way
 *  (the time allowed is only spent when the placement is wrong, or the machine very busy). */
async function until(probe, timeout = 8000) {
  const start = Date.now();
  let value;
  for (;;) {
    value = await probe();
    if (value && value.ok !== false) return value;
    if (Date.now() - start > timeout) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The record name's text box, the fixed header's bottom edge, the viewport and every visible
 *  control, as the page lays them out now. */
function measure(page, nameSelector) {
  return page.evaluate(({ nameSelector, CONTROLS }) => {
    const box = (r) => ({ x: r.x, y: r.y, w: r.width, h: r.height, right: r.right, bottom: r.bottom });
    const anchor = nameSelector && [...document.querySelectorAll(nameSelector)].find((element) => element.getClientRects().length > 0);
    const range = document.createRange();
    if (anchor) range.selectNodeContents(anchor);
    const header = document.getElementById('oneHeader');
    const controls = [...document.querySelectorAll(CONTROLS)]
      .filter((element) => element.nodeName !== 'CC-DEAL-HEALTH' && getComputedStyle(element).visibility === 'visible')
      .map((element) => ({ ...box(element.getBoundingClientRect()), what: `${element.nodeName} ${(element.textContent || element.title || element.value || '').trim().slice(0, 30)}` }))
      .filter((r) => r.w > 0 && r.h > 0 && r.bottom > 0 && r.y < innerHeight && r.right > 0 && r.x < innerWidth);
    return {
      name: anchor ? box(range.getBoundingClientRect()) : null,
      headerBottom: header ? header.getBoundingClientRect().bottom : 0,
      viewport: { w: innerWidth, h: innerHeight },
      controls,
    };
  }, { nameSelector, CONTROLS });
}

const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** The badge's placement against the page: [] when it is beside the name (right after it, level
 *  with it; or, where a control or the window's edge leaves no room there, just under the name
 *  at its start), inside the viewport, over no control and not under the fixed header;
 *  otherwise what is wrong. `layout.name` null: a page with no name (anywhere on screen). */
function placementProblems(badge, layout) {
  const problems = [];
  if (!badge) return ['no badge'];
  const b = badge.rect;
  const { name } = layout;
  if (badge.rect.visible !== 'visible') problems.push(`badge hidden (${badge.rect.visible})`);
  const middle = b.y + b.h / 2;
  const after = b.x >= name.right && b.x <= name.right + 24 && middle >= name.y && middle <= name.bottom;
  const under = Math.abs(b.x - name.x) <= 4 && b.y >= name.bottom && b.y <= name.bottom + 12;
  if (!after && !under) problems.push(`badge neither right after the name nor just under it: badge ${JSON.stringify(b)}, name ${JSON.stringify(name)}`);
  if (b.x < 0 || b.y < 0 || b.x + b.w > layout.viewport.w || b.y + b.h > layout.viewport.h) problems.push(`badge outside the viewport: ${JSON.stringify(b)} in ${JSON.stringify(layout.viewport)}`);
  if (b.y < layout.headerBottom) problems.push(`badge over the fixed header (badge top ${b.y}, header bottom ${layout.headerBottom})`);
  for (const control of layout.controls) {
    if (overlaps(b, control)) problems.push(`badge covers ${control.what} at ${JSON.stringify(control)}`);
  }
  return problems;
}

/** Waits until the badge is placed right (or times out) and asserts it. */
async function assertPlaced(page, nameSelector, context) {
  const result = await until(async () => {
    const badge = await readBadge(page);
    const layout = await measure(page, nameSelector);
    const problems = placementProblems(badge, layout);
    if (badge && !(await badgeSeen(page, badge.rect))) problems.push('something of the page is drawn over the badge');
    return { ok: problems.length === 0, problems, badge, layout };
  });
  assert.deepEqual(result.problems, [], `${context}: ${JSON.stringify(result.badge && result.badge.rect)}`);
  return result;
}

/** Whether any of the badge's pixels can be seen: its corners and middle, hit-tested. */
function badgeSeen(page, rect) {
  return page.evaluate((r) => {
    const points = [[r.x + 2, r.y + 2], [r.x + r.w - 2, r.y + 2], [r.x + 2, r.y + r.h - 2], [r.x + r.w - 2, r.y + r.h - 2], [r.x + r.w / 2, r.y + r.h / 2]];
    return points.some(([x, y]) => (document.elementFromPoint(x, y) || {}).nodeName === 'CC-DEAL-HEALTH');
  }, rect);
}

/** The badge adds nothing to the page's layout: every element's box, and the document's scroll
 *  size, are the same with the badge and without it. */
function layoutWithAndWithoutBadge(page) {
  return page.evaluate(() => {
    const snapshot = () => {
      const boxes = [];
      for (const element of document.body.querySelectorAll('*')) {
        if (element.nodeName === 'CC-DEAL-HEALTH') continue;
        const r = element.getBoundingClientRect();
        boxes.push(`${r.x},${r.y},${r.width},${r.height}`);
      }
      return `${boxes.join(' ')} | ${document.documentElement.scrollWidth}x${document.documentElement.scrollHeight}`;
    };
    const host = document.querySelector('cc-deal-health');
    const withBadge = snapshot();
    const { parentNode, nextSibling } = host;
    host.remove();
    const withoutBadge = snapshot();
    parentNode.insertBefore(host, nextSibling); // the extension's own node: not a page change to it
    return { same: withBadge === withoutBadge, elements: withBadge.split(' ').length };
  });
}

async function open(url, { colorScheme = 'light' } = {}) {
  const page = await browser.context.newPage();
  await page.emulateMedia({ colorScheme });
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

/** Chrome's own zoom for the tab showing `page` (the level a user sets with Ctrl +), through the
 *  extension's service worker; per tab, so no other test's page is zoomed. Playwright's viewport
 *  emulation is lifted first (it would keep the page 1280 CSS pixels wide): the window is
 *  1280 × 800, so at 200 % the page is 640 × 400 CSS pixels at 2 device pixels each. */
async function zoom(page, factor) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.clearDeviceMetricsOverride');
  await cdp.detach();
  const pattern = `${new URL(page.url()).origin}/*`;
  await browser.worker.evaluate(async ({ pattern, factor }) => {
    const [tab] = await chrome.tabs.query({ url: pattern });
    await chrome.tabs.setZoomSettings(tab.id, { scope: 'per-tab' });
    await chrome.tabs.setZoom(tab.id, factor);
  }, { pattern, factor });
}

/** Scrolls the window to `y` and waits two frames (the badge follows in the next one). */
async function scrollTo(page, y) {
  await page.evaluate((top) => new Promise((resolve) => {
    scrollTo(0, top);
    requestAnimationFrame(() => requestAnimationFrame(resolve));
  }), y);
}

/** Scrolled until the name is just under the fixed header the badge is out of sight; a little
 *  less and the badge is back beside the name; at the top it is where it started. */
async function assertScrollsWithName(page, nameSelector, context) {
  const start = await assertPlaced(page, nameSelector, `${context}, at the top`);
  const { name, headerBottom } = start.layout;
  assert.ok(headerBottom > 0, 'the page has a fixed global header');
  // The name's bottom 4 px above the header's bottom edge: hidden under the header.
  await scrollTo(page, Math.ceil(name.bottom - headerBottom + 4));
  const under = await measure(page, nameSelector);
  assert.ok(under.name.bottom < under.headerBottom && under.name.bottom > 0, `the name is under the header (${JSON.stringify(under.name)}, header ${under.headerBottom})`);
  const hidden = await until(async () => {
    const badge = await readBadge(page);
    return !(await badgeSeen(page, badge.rect)) && { badge };
  });
  assert.ok(hidden && !(await badgeSeen(page, hidden.badge.rect)), `${context}: the badge is out of sight while the name is under the header`);
  // Scrolled back to where the name shows again, just below the header.
  await scrollTo(page, Math.max(0, Math.floor(name.y - headerBottom - 6)));
  const back = await assertPlaced(page, nameSelector, `${context}, the name back below the header`);
  assert.ok(await badgeSeen(page, back.badge.rect), `${context}: the badge can be seen again`);
  await scrollTo(page, 0);
  const top = await assertPlaced(page, nameSelector, `${context}, back at the top`);
  assert.deepEqual(top.badge.rect, start.badge.rect, 'back where it started');
}

test('Lightning, SLDS styled: beside the name, over no control, moving nothing of the page', async () => {
  const page = await open(LIGHTNING.url);
  const { layout } = await assertPlaced(page, LIGHTNING.name, 'Lightning');
  assert.ok(layout.controls.length > 20, `the page's controls were measured (${layout.controls.length})`);
  const { same, elements } = await layoutWithAndWithoutBadge(page);
  assert.ok(elements > 300, `the page's elements were measured (${elements})`);
  assert.ok(same, 'every element of the page has the same box with the badge as without it');
  await page.screenshot({ path: join(outputDir, 'placement-lightning.png') });
  await page.close();
});

test('Lightning: out of sight while the name is under the fixed global header, back when it returns', async () => {
  const page = await open(LONG_LIGHTNING.url);
  await assertScrollsWithName(page, LONG_LIGHTNING.name, 'Lightning');
  await page.close();
});

test('Classic, Classic-styled: beside the name\'s text (not the end of its full-width h2), over no control', async () => {
  const page = await open(CLASSIC.url);
  const { layout, badge } = await assertPlaced(page, CLASSIC.name, 'Classic');
  const heading = await page.evaluate((selector) => document.querySelector(selector).getBoundingClientRect().right, CLASSIC.name);
  assert.ok(badge.rect.x < heading - 200, `beside the text, not at the heading's far end (${badge.rect.x} vs ${heading})`);
  assert.ok(layout.controls.some((c) => c.what.startsWith('A Customize Page')), 'the title\'s links were measured');
  const { same } = await layoutWithAndWithoutBadge(page);
  assert.ok(same, 'every element of the page has the same box with the badge as without it');
  await page.screenshot({ path: join(outputDir, 'placement-classic.png') });
  await page.close();
});

/** The colours the badge is drawn with, read inside its closed shadow root through CDP. */
async function badgeColours(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root: document } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const found = {};
    const walk = (node, inBadge) => {
      const classes = (node.attributes || []).reduce((value, item, i, all) => (item === 'class' ? all[i + 1] : value), '');
      if (inBadge && node.nodeName === 'BUTTON') found.button = node;
      if (inBadge && /\bcard\b/.test(classes)) found.card = node;
      if (inBadge && /\bsummary\b/.test(classes)) found.summary = node;
      if (inBadge && /\bhint\b/.test(classes)) found.hint = node;
      for (const child of node.children || []) walk(child, inBadge);
      for (const shadow of node.shadowRoots || []) walk(shadow, inBadge || node.nodeName === 'CC-DEAL-HEALTH');
    };
    walk(document, false);
    const colours = {};
    for (const [key, node] of Object.entries(found)) {
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendNodeId });
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId,
        functionDeclaration: `function () {
          const own = getComputedStyle(this);
          let element = this;
          let background = own.backgroundColor;
          while (element && /rgba\\(0, 0, 0, 0\\)|transparent/.test(background)) {
            element = element.parentElement || (element.getRootNode().host);
            background = element ? getComputedStyle(element).backgroundColor : 'rgb(255, 255, 255)';
          }
          return JSON.stringify({ color: own.color, background, scheme: own.colorScheme });
        }`,
        returnByValue: true,
      });
      colours[key] = JSON.parse(result.value);
    }
    return colours;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** WCAG contrast ratio of two `rgb(...)` colours. */
function contrast(a, b) {
  const luminance = (colour) => {
    const [r, g, bl] = colour.match(/[\d.]+/g).slice(0, 3).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

test('dark mode (the system\'s, and a page that declares color-scheme: dark): placed alike, drawn legibly', async () => {
  const light = await open(LIGHTNING.url);
  const lightPlaced = await assertPlaced(light, LIGHTNING.name, 'light');
  const lightColours = await badgeColours(light);
  await light.close();

  const page = await open(LIGHTNING.url, { colorScheme: 'dark' });
  assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), true);
  const darkPlaced = await assertPlaced(page, LIGHTNING.name, 'dark');
  assert.deepEqual(darkPlaced.badge.rect, lightPlaced.badge.rect, 'the same place as in light mode');
  // A page that turns its own form controls and defaults dark.
  await page.addStyleTag({ content: ':root { color-scheme: dark; }' });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const colours = await badgeColours(page);
  assert.deepEqual(Object.keys(colours).sort(), ['button', 'card', 'hint', 'summary']);
  assert.deepEqual(colours.button, lightColours.button, 'the badge keeps its own tone');
  // The hover card follows the system's dark mode (issue 16: the rep's dark screen).
  assert.ok(contrast(colours.card.background, 'rgb(0, 0, 0)') < contrast(lightColours.card.background, 'rgb(0, 0, 0)'),
    `the hover card is dark in dark mode: ${colours.card.background} (light: ${lightColours.card.background})`);
  for (const [part, { color, background }] of Object.entries(colours)) {
    const ratio = contrast(color, background);
    assert.ok(ratio >= 4.5, `${part}: ${color} on ${background} has contrast ${ratio.toFixed(2)} (at least 4.5)`);
  }
  await assertPlaced(page, LIGHTNING.name, 'dark, color-scheme: dark');
  await page.screenshot({ path: join(outputDir, 'placement-dark.png') });
  await page.close();
});

// Where the spot beside the name is taken, content/main.js's position() hit-tests the next one:
// with no name on the page the corner below Lightning's fixed global header (not under it, where
// the header, z-index 100, hides the badge and its buttons sit); where the name's column ends at
// the record's actions (long names, 200 % zoom), just under the name.

test('no name to stand beside (the edit page): in sight below the fixed header, over no control', async () => {
  const page = await open(EDIT_LIGHTNING);
  const result = await until(async () => {
    const badge = await readBadge(page);
    const layout = await measure(page, null);
    const problems = [];
    if (!badge || badge.rect.visible !== 'visible' || !(await badgeSeen(page, badge.rect))) problems.push('the badge cannot be seen');
    if (badge && badge.rect.y < layout.headerBottom) problems.push(`under the fixed header (${badge.rect.y} < ${layout.headerBottom})`);
    for (const control of layout.controls) if (badge && overlaps(badge.rect, control)) problems.push(`covers ${control.what}`);
    return { ok: problems.length === 0, problems, badge };
  });
  assert.deepEqual(result.problems, [], JSON.stringify(result.badge && result.badge.rect));
  await page.close();
});

for (const [kind, target, shot] of [['Lightning', LIGHTNING, 'lightning'], ['Lightning, a name that fills its column,', FULL_NAME_LIGHTNING, 'lightning-full-name'], ['Classic', CLASSIC, 'classic']]) {
  test(`${kind} at 200 % zoom: beside the name, over no control, inside the viewport, moving nothing`, async () => {
    const page = await open(target.url);
    await assertPlaced(page, target.name, `${kind} at 100 %`);
    await zoom(page, 2);
    const width = await until(() => page.evaluate(() => innerWidth <= 640 && innerWidth));
    assert.ok(width && width <= 640, `zoomed: the page is ${width} CSS pixels wide`);
    await assertPlaced(page, target.name, `${kind} at 200 %`);
    const { same } = await layoutWithAndWithoutBadge(page);
    assert.ok(same, 'every element of the page has the same box with the badge as without it');
    if (target === LIGHTNING) await assertScrollsWithName(page, target.name, `${kind} at 200 %`);
    await page.screenshot({ path: join(outputDir, `placement-${shot}-200.png`) });
    await page.close();
  });
}
