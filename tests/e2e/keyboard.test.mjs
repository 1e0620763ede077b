// The badge for keyboard and pointer users: it comes right after the record name in focus order
// (not last on the page), and its hover card can be hovered and closed with Esc without moving
// the pointer (WCAG 2.2, 1.4.13 "Content on Hover or Focus").
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStandin } from '../server/salesforce-standin.mjs';
import { eventually, launch, readBadge, waitForBadge } from './browser.mjs';

const URL_ = 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view';

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

/** The hover card's computed `display`, read through CDP (the shadow root is closed). */
async function cardDisplay(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    let card = null;
    const walk = (node, inBadge) => {
      const here = inBadge || node.nodeName === 'CC-DEAL-HEALTH';
      if (here && node.nodeName === 'DIV' && (node.attributes || []).join(' ').includes('card')) card = node;
      for (const child of node.children || []) walk(child, here);
      for (const shadow of node.shadowRoots || []) walk(shadow, here);
    };
    walk(root, false);
    assert.ok(card, 'the badge has its card');
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: card.backendNodeId });
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: 'function () { return getComputedStyle(this).display; }',
      returnByValue: true,
    });
    return result.value;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

test('the badge comes right after the record name in focus order, not last on the page', async () => {
  const page = await browser.context.newPage();
  await page.goto(URL_);
  const { badge } = await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible');
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  // Tab from the start of the page until the badge has focus, noting where each stop was.
  const stops = [];
  for (let i = 0; i < 300; i += 1) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      let element = document.activeElement;
      while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
      if (!element || element === document.body) return null;
      const r = element.getBoundingClientRect();
      return { tag: element.nodeName, top: r.top + scrollY, badge: document.activeElement.nodeName === 'CC-DEAL-HEALTH' };
    });
    if (!stop) continue;
    if (stop.badge) break;
    stops.push(stop);
  }
  assert.equal(await page.evaluate(() => document.activeElement.nodeName), 'CC-DEAL-HEALTH', 'Tab reaches the badge');
  // Before it, only what sits above it or level with it (the global header, the highlights).
  const below = stops.filter((s) => s.top > badge.rect.y + badge.rect.h + 40);
  assert.deepEqual(below, [], `controls further down the page come before the badge: ${JSON.stringify(below.slice(0, 5))}`);
  // And after it, the page goes on: the badge is not the last stop.
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement.nodeName), 'CC-DEAL-HEALTH');
  await page.close();
});

test('the hover card stays open under the pointer and closes with Esc', async () => {
  const page = await browser.context.newPage();
  await page.goto(URL_);
  const { badge } = await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible');
  const { rect } = badge;
  assert.equal(await cardDisplay(page), 'none', 'closed until hovered');
  await page.mouse.move(rect.x + rect.w / 2, rect.y + rect.h / 2);
  assert.equal(await cardDisplay(page), 'block', 'open on hover');
  // Down across the gap onto the card itself.
  for (let dy = 4; dy <= 40; dy += 4) await page.mouse.move(rect.x + 10, rect.y + rect.h + dy);
  assert.equal(await cardDisplay(page), 'block', 'still open with the pointer on the card');
  await page.keyboard.press('Escape');
  assert.equal(await cardDisplay(page), 'none', 'Esc closes it, the pointer where it was');
  // Leaving and coming back opens it again.
  await page.mouse.move(5, 700);
  await page.mouse.move(rect.x + rect.w / 2, rect.y + rect.h / 2);
  assert.equal(await cardDisplay(page), 'block', 'open again on the next hover');
  assert.ok(await readBadge(page));
  await page.close();
});

test('a date in the hover card reads as a date in the browser\'s language, never ISO', async () => {
  const page = await browser.context.newPage();
  await page.goto(URL_);
  await waitForBadge(page, (b) => b && b.label);
  // The close date moved more than a year out (an inline edit), as the page shows dates.
  await page.evaluate(() => {
    const walk = (root) => {
      for (const element of root.querySelectorAll('*')) {
        for (const node of element.childNodes) if (node.nodeType === 3 && node.nodeValue.includes('12/15/2026')) node.nodeValue = node.nodeValue.replace('12/15/2026', '12/15/2028');
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);
  });
  const { badge } = await waitForBadge(page, (b) => b && b.text.includes('2028'));
  assert.ok(badge.text.includes('Dec 15, 2028'), badge.text);
  assert.doesNotMatch(badge.text, /\d{4}-\d{2}-\d{2}/, 'no ISO date on screen');
  await page.close();
});

test('after the extension is updated under an open page, a click on the badge says to reload', async () => {
  const page = await browser.context.newPage();
  await page.goto(URL_);
  const { badge } = await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible');
  // As an update does: the extension restarts, this page's content script is cut off from it.
  await browser.worker.evaluate(() => { setTimeout(() => chrome.runtime.reload(), 0); });
  // Clicked until the page's content script finds itself cut off (a click before that opens the
  // side panel, as usual).
  const after = await eventually(async () => {
    await page.mouse.click(badge.rect.x + badge.rect.w / 2, badge.rect.y + badge.rect.h / 2);
    const now = await readBadge(page);
    return now && now.label === 'Deal health: reload the page to update' && now;
  }, { timeout: 15000, every: 300 });
  assert.ok(after.pieces.includes('Deal health was updated. Reload this page to use it.'), JSON.stringify(after.pieces));
  assert.equal(await cardDisplay(page), 'block', 'the notice shows without hovering');
  await page.close();
});
