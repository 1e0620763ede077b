// The extension speaks the browser's language: the badge (accessible name, hover card, reasons)
// and the side panel come from _locales (en, de, fr, ja); the page's own language does not
// matter. A German and a Japanese browser on an English Salesforce page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { launch, root, sidePanel, waitForBadge } from './browser.mjs';

const PAGE = 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view';
let standin;

before(async () => {
  standin = await startStandin();
});

after(async () => {
  await standin?.close();
});

for (const [lang, name, reason, heading] of [
  ['de', /^Deal-Gesundheit \d+ von 100, (gesund|gefährdet|kritisch)$/, 'Ein nächster Schritt ist eingetragen.', 'Deal-Gesundheit'],
  ['ja', /^商談の健全性 100 点中 \d+ 点、(良好|リスクあり|危険)$/, '次のステップが記録されています。', '商談の健全性'],
]) {
  test(`in a ${lang} browser the badge and the side panel are in ${lang}`, async () => {
    const browser = await launch({ port: standin.port, lang });
    try {
      const [relay] = browser.context.pages();
      const page = await browser.context.newPage();
      await page.goto(PAGE);
      const { badge } = await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible');
      assert.match(badge.label, name);
      assert.ok(badge.text.includes(reason), badge.text);
      await page.mouse.click(badge.rect.x + badge.rect.w / 2, badge.rect.y + badge.rect.h / 2);
      const panel = await sidePanel(browser, relay);
      await panel.waitFor("!document.getElementById('local').hidden");
      assert.equal(await panel.evaluate("document.querySelector('h1').textContent"), heading);
      assert.equal(await panel.evaluate('document.documentElement.lang.slice(0, 2)'), lang);
      await panel.screenshot(join(root, 'tests', 'e2e', 'output', `panel-${lang}.png`));
      panel.close();
    } finally {
      await browser.context.close();
    }
  });
}
