// The numeric date order, learned per org host (issue 17, item 4), in one browser: a first
// page settles it ("4 Nov 2026" says day first), the worker keeps that one fact in
// chrome.storage.local under the org's host, and a second page of the same org that cannot
// settle it alone (highlights only, 05/06/2027) is read with it. The native side of the same
// pages is extension-core/health/tests/date_order.rs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { eventually, FIXTURE_TODAY, launch, nativeBin, root, waitForBadge } from './browser.mjs';

const fixtures = join(root, 'tests', 'fixtures');
const FIRST = 'lightning-date-order-month-name';
const SECOND = 'lightning-highlights-only-known-order';
// The stand-in serves a fixture on the host named after it; the second page is also served on
// the first page's host (the same org), under another record's URL.
const ORG = `${FIRST}.lightning.force.com`;
const firstUrl = `https://${ORG}/lightning/r/Opportunity/0065g00000AbCdEAAV/view`;
const secondUrl = `https://${ORG}/lightning/r/Opportunity/0065g00000QwErTAAV/view`;
const secondAloneUrl = `https://${SECOND}.lightning.force.com/lightning/r/Opportunity/0065g00000QwErTAAV/view`;

let standin;
let browser;

/** The badge's accessible name `cc-health extract` gives for a fixture at `url`. */
function cliLabel(slug, url, locale) {
  const args = ['extract', join(fixtures, slug, 'page.html'), '--url', url, '--today', FIXTURE_TODAY];
  if (locale) args.push('--locale', locale);
  const { score } = JSON.parse(execFileSync(nativeBin('cc-health'), args).toString());
  return score.value === null ? null : `Deal health ${score.value} of 100, ${score.band.replace('_', ' ')}`;
}

const storedOrders = () => browser.worker.evaluate(async () => {
  const everything = await chrome.storage.local.get(null);
  return Object.fromEntries(Object.entries(everything).filter(([key]) => key.startsWith('cc.dateOrder.')));
});

async function view(url) {
  const page = await browser.context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

before(async () => {
  standin = await startStandin();
  browser = await launch({ port: standin.port });
  // The second page on the first page's host (the stand-in names pages by host).
  const second = readFileSync(join(fixtures, SECOND, 'page.html'));
  await browser.context.route(secondUrl, (route) => route.fulfill({
    status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: second,
  }));
});

after(async () => {
  await browser?.context.close().catch(() => {});
  await standin?.close();
});

test('a page that cannot settle the date order alone, in an org not seen before: no close date', async () => {
  const unread = cliLabel(SECOND, secondAloneUrl);
  const read = cliLabel(SECOND, secondAloneUrl, 'en-AU');
  assert.notEqual(unread, read, 'the close date changes the score (or this test could not fail)');
  const page = await view(secondAloneUrl);
  await waitForBadge(page, (badge) => badge && badge.label === unread);
  await page.waitForTimeout(400); // no late answer changes it
  await waitForBadge(page, (badge) => badge && badge.label === unread, { timeout: 100 });
  await page.close();
  assert.deepEqual(await storedOrders(), {}, 'a page that settles nothing stores nothing');
});

test('a first page settles the order, and the worker keeps that one fact for its org host', async () => {
  const page = await view(firstUrl);
  await waitForBadge(page, (badge) => badge && badge.label === cliLabel(FIRST, firstUrl));
  const stored = await eventually(async () => {
    const orders = await storedOrders();
    return Object.keys(orders).length ? orders : null;
  });
  assert.deepEqual(stored, { [`cc.dateOrder.${ORG}`]: 'dayMonthYear' });
  await page.close();
});

test('a second page of the same org that cannot settle it alone is read with it', async () => {
  const read = cliLabel(SECOND, secondUrl, 'en-AU');
  assert.notEqual(read, cliLabel(SECOND, secondUrl));
  const page = await view(secondUrl);
  await waitForBadge(page, (badge) => badge && badge.label === read);
  await page.close();
  // Still the one key, with the order only.
  assert.deepEqual(await storedOrders(), { [`cc.dateOrder.${ORG}`]: 'dayMonthYear' });
});

/** Evaluates `expression` in our content script's isolated world on `page` (over CDP). */
async function inContentScript(page, expression) {
  const cdp = await browser.context.newCDPSession(page);
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
  await cdp.send('Runtime.enable');
  const world = contexts.find((c) => c.auxData?.type === 'isolated');
  assert.ok(world, 'the content script world is there');
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression, contextId: world.id, awaitPromise: true, returnByValue: true,
  });
  await cdp.detach();
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value;
}

test('from the content script\'s world: its own org\'s order only, one a page can settle, and no storage', async () => {
  const page = await view(secondUrl);
  await waitForBadge(page, (badge) => badge !== null);
  const answers = await inContentScript(page, `(async () => {
    const send = (message) => chrome.runtime.sendMessage(message);
    return {
      yearFirst: await send({ type: 'dateOrder', order: 'yearMonthDay' }),
      otherHost: await send({ type: 'dateOrder', order: 'monthDayYear', host: 'victim.lightning.force.com' }),
      asked: await send({ type: 'getDateOrder' }),
      storage: typeof chrome.storage?.local?.get === 'function'
        ? await chrome.storage.local.get(null).then(() => 'read', (error) => String(error.message))
        : 'absent',
    };
  })()`);
  assert.equal(answers.yearFirst.ignored, 'orderNotLearnable'); // protocol::Refusal's codes
  assert.equal(answers.otherHost.ignored, 'malformed');
  // (With it, whether the user is signed in: the badge's headline, badge::decide; and whether
  // the administrator's policy lets the badge show on this org, by the live policy here; and
  // whether the side panel has asked for list reports yet, background/lists.js: not here.)
  assert.deepEqual(answers.asked, {
    ok: true, order: 'dayMonthYear', signedIn: false, allowed: true, provisional: false, listsWanted: false,
  });
  assert.notEqual(answers.storage, 'read', 'the content script cannot read chrome.storage.local');
  await page.close();
  assert.deepEqual(await storedOrders(), { [`cc.dateOrder.${ORG}`]: 'dayMonthYear' });
});
