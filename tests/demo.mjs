// The demo (see tests/demo.sh): Chromium with the extension on a realistic Opportunity page
// served under a Salesforce host name, signed in to the local Customer City reference server
// through the real hand-off, so the badge shows the enriched analysis. With a display the
// browser stays open; without one, a screenshot (hover card open) is written and its path printed.
//
// It runs on today's date, not the tests' fixed one: the stand-in moves the page's dates by the
// days from the fixtures' date to today (a deal closing in three weeks closes three weeks from
// the day you run it), and the reference server's dataset is relative to its clock.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startStandin } from './server/salesforce-standin.mjs';
import { confirmConnect, launch, root, sidePanel, startReferenceServer, waitForBadge } from './e2e/browser.mjs';

const slug = process.argv[2] || 'lightning-record-layout-en-us';
const url = `https://${slug}.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view`;
const headless = !process.env.DISPLAY;
const standin = await startStandin({ relativeDates: true });
const api = await startReferenceServer();
const browser = await launch({ port: standin.port, apiPort: api.port, headless, anyDate: true });
const { context, extensionId } = browser;
const [relay] = context.pages();

// Sign in the way a rep does: side panel → "Sign in" → the web app hands a code to the extension.
const panel = await context.newPage();
await panel.goto(`chrome-extension://${extensionId}/sidepanel/index.html`);
await panel.waitForSelector('#sign-in:not([hidden])');
const connect = context.waitForEvent('page');
await panel.click('#sign-in');
const webApp = await connect;
await confirmConnect(webApp); // the web app names the extension; the rep confirms
await webApp.waitForFunction(() => document.getElementById('status').textContent.startsWith('Connected'), null, { timeout: 10000 });
await webApp.close();
await panel.close();
console.log('Signed in to the local Customer City reference server.');

const page = await context.newPage();
await page.goto(url);
const { badge } = await waitForBadge(page, (b) => b && b.text.includes('Customer City analysis') && b.rect.visible === 'visible', { timeout: 15000 });
console.log(`Opened ${url}`);
console.log(`Badge: "${badge.label}" (enriched analysis)`);
await page.mouse.move(badge.rect.x + badge.rect.w / 2, badge.rect.y + badge.rect.h / 2);
if (headless) {
  const dir = join(root, 'target', 'demo');
  mkdirSync(dir, { recursive: true });
  const shot = join(dir, 'demo.png');
  await page.waitForTimeout(300);
  await page.screenshot({ path: shot });
  console.log(`No display: screenshot written to ${shot}`);
  // A click on the badge opens the side panel with the full analysis and the pipeline.
  await page.mouse.click(badge.rect.x + badge.rect.w / 2, badge.rect.y + badge.rect.h / 2);
  const panel = await sidePanel(browser, relay);
  await panel.waitFor("!document.getElementById('enriched-body').hidden && document.querySelectorAll('#pipeline-deals li').length > 0", { timeout: 10000 });
  const panelShot = join(dir, 'side-panel.png');
  await panel.screenshot(panelShot);
  panel.close();
  console.log(`Side panel screenshot written to ${panelShot}`);
  await context.close();
  api.stop();
  await standin.close();
} else {
  console.log('Browser open; press Ctrl+C to end the demo.');
  process.on('SIGINT', async () => {
    await context.close().catch(() => {});
    api.stop();
    await standin.close();
    process.exit(0);
  });
}
