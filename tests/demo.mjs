// Opens the demo page with the extension loaded; see tests/demo.sh.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startStandin } from './server/salesforce-standin.mjs';
import { launch, root, waitForBadge } from './e2e/browser.mjs';

const slug = process.argv[2] || 'lightning-record-layout-en-us';
const url = `https://${slug}.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view`;
const headless = !process.env.DISPLAY;
const standin = await startStandin();
const { context } = await launch({ port: standin.port, headless });
const page = await context.newPage();
await page.goto(url);
const { badge } = await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible', { timeout: 10000 });
console.log(`Opened ${url}`);
console.log(`Badge: "${badge.label}"`);
if (headless) {
  const dir = join(root, 'target', 'demo');
  mkdirSync(dir, { recursive: true });
  const shot = join(dir, 'demo.png');
  await page.screenshot({ path: shot });
  console.log(`No display: screenshot written to ${shot}`);
  await context.close();
  await standin.close();
} else {
  console.log('Browser open; press Ctrl+C to end the demo.');
  process.on('SIGINT', async () => { await context.close().catch(() => {}); await standin.close(); process.exit(0); });
}
