// The Chrome Web Store's screenshots (store/README.md), made from the real extension on every
// run: 1280×800 PNGs in tests/e2e/output/store/ (ignored by git). A screenshot with the side
// panel is the page and the real panel's own capture side by side, as Chrome lays them out (a
// headless browser draws no side panel into the page's capture).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { launch, root, sidePanel, signIn, startReferenceServer, waitForBadge } from './browser.mjs';

const outputDir = join(root, 'tests', 'e2e', 'output', 'store');
const STORE = { width: 1280, height: 800 };
const url = (fixture) => `https://${fixture}.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view`;

let standin;
let api;
let browser;
let page;
let relay;
let shown; // the browser, page and relay the screenshots are taken of

before(async () => {
  mkdirSync(outputDir, { recursive: true });
  standin = await startStandin();
  api = await startReferenceServer();
  browser = await launch({ port: standin.port, apiPort: api.port });
  [relay] = browser.context.pages();
  page = await browser.context.newPage();
  await page.setViewportSize(STORE);
  shown = { browser, page, relay };
});

after(async () => {
  await browser?.context.close().catch(() => {});
  api?.stop();
  await standin?.close();
});

/** A PNG's width and height, from its header (`source`: a path or the bytes). */
function pngSize(source) {
  const bytes = typeof source === 'string' ? readFileSync(source) : source;
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The page with the side panel beside it, at the store's size: the page laid out in what the
 *  panel leaves, the panel's own capture on the right, unscaled (headless Chromium draws the
 *  panel 360 px wide and a little shorter than the window: its background fills the rest). */
async function withPanel({ bytes: panel, background }, name, { browser, page } = shown) {
  const PANEL_WIDTH = pngSize(panel).width;
  await page.setViewportSize({ width: STORE.width - PANEL_WIDTH, height: STORE.height });
  await page.waitForTimeout(200); // the badge follows the layout (position: fixed beside the name)
  const left = (await page.screenshot()).toString('base64');
  const right = panel.toString('base64');
  const compose = await browser.context.newPage();
  await compose.setViewportSize(STORE);
  await compose.setContent(`<!doctype html><style>
    html, body { margin: 0; width: ${STORE.width}px; height: ${STORE.height}px; overflow: hidden; display: flex; background: #fff; }
    img { display: block; height: ${STORE.height}px; object-fit: none; object-position: left top; }
    #page { width: ${STORE.width - PANEL_WIDTH}px; }
    #panel { width: ${PANEL_WIDTH}px; border-left: 1px solid #c9c9c9; background: ${background}; }
  </style><img id="page" src="data:image/png;base64,${left}"><img id="panel" src="data:image/png;base64,${right}">`);
  await compose.waitForFunction(() => [...document.images].every((image) => image.complete && image.naturalWidth > 0));
  const path = join(outputDir, name);
  await compose.screenshot({ path });
  await compose.close();
  await page.setViewportSize(STORE);
  return path;
}

async function openPanel({ browser, page, relay } = shown) {
  const { badge } = await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible');
  await page.mouse.click(badge.rect.x + badge.rect.w / 2, badge.rect.y + badge.rect.h / 2);
  const panel = await sidePanel(browser, relay);
  await panel.waitFor("document.readyState === 'complete' && !document.getElementById('local').hidden");
  return panel;
}

/** The panel's own capture and its background colour. */
async function capturePanel(panel) {
  const background = await panel.evaluate('getComputedStyle(document.body).backgroundColor');
  const path = join(outputDir, '.panel.png');
  await panel.screenshot(path);
  const bytes = readFileSync(path);
  rmSync(path);
  return { bytes, background };
}

test('store screenshots: the badge with its hover card, the side panel signed out and signed in, at 1280×800', async () => {
  await page.goto(url('lightning-record-layout-en-us'));
  const { badge } = await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible');
  await page.mouse.move(badge.rect.x + badge.rect.w / 2, badge.rect.y + badge.rect.h / 2);
  await page.waitForTimeout(400); // the hover card's delay and fade
  const first = join(outputDir, '1-badge.png');
  await page.screenshot({ path: first });
  assert.deepEqual(pngSize(first), STORE);

  const panel = await openPanel();
  await page.mouse.move(0, STORE.height - 1); // the hover card closes
  const second = await withPanel(await capturePanel(panel), '2-panel.png');
  assert.deepEqual(pngSize(second), STORE);

  const account = await signIn(browser);
  await account.close();
  await page.bringToFront();
  await page.reload(); // the badge of a signed-in user
  await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible');
  await panel.waitFor("!document.getElementById('enriched-body').hidden", { timeout: 8000 });
  await panel.waitFor("document.querySelectorAll('#pipeline-deals li').length > 0", { timeout: 8000 });
  const third = await withPanel(await capturePanel(panel), '3-panel-signed-in.png');
  assert.deepEqual(pngSize(third), STORE);
  panel.close();
});

// The listing's other languages: the side panel beside the page in a de, fr and ja browser.
for (const lang of ['de', 'fr', 'ja']) {
  test(`store screenshot in ${lang}: the side panel beside the page, at 1280×800`, async () => {
    const localized = await launch({ port: standin.port, apiPort: api.port, lang });
    try {
      const [localRelay] = localized.context.pages();
      const localPage = await localized.context.newPage();
      await localPage.setViewportSize(STORE);
      await localPage.goto(url('lightning-record-layout-en-us'));
      const view = { browser: localized, page: localPage, relay: localRelay };
      const panel = await openPanel(view);
      assert.equal(await panel.evaluate('document.documentElement.lang.slice(0, 2)'), lang);
      await localPage.mouse.move(0, STORE.height - 1); // the hover card closes
      const path = await withPanel(await capturePanel(panel), `4-panel-${lang}.png`, view);
      assert.deepEqual(pngSize(path), STORE);
      panel.close();
    } finally {
      await localized.context.close();
    }
  });
}
