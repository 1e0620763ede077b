// Measures the two ways the content script runs the core on a page, in Chromium:
//   wasm    the core as real WebAssembly (content/core-wasm.mjs + core.wasm): where the page's
//           CSP allows it (Lightning's does)
//   wasm2js the core translated to JavaScript (content/core.mjs): where it does not
// Prints, per fixture: the cold first call of evaluatePage; the second call in the same fresh
// page after the page's body was replaced by a copy of itself (what the first in-app navigation
// costs: the core's code not yet optimised, every node new), median of 7 fresh pages; and the
// median and p95 of 31 runs after 5 warm-ups on the same DOM.
// Usage: node tests/bench/content-paths.mjs [slug...]   (needs ./build.sh)
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStandin } from '../server/salesforce-standin.mjs';
import { dist, fixtureBody, root } from '../e2e/browser.mjs';

const slugs = process.argv.slice(2).length ? process.argv.slice(2) : ['lightning-record-layout-en-us', 'lightning-large-page-en-us'];
const standin = await startStandin();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', `--host-resolver-rules=MAP *.force.com 127.0.0.1:${standin.port}, MAP * ~NOTFOUND`],
});
const page = await browser.newPage({ ignoreHTTPSErrors: true });
await page.route('**/__cc/**', (route) => {
  const name = new URL(route.request().url()).pathname.replace(/^\/__cc\//, ''); // may be under snippets/
  const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
  const file = join(dist, 'content', ...name.split('/').filter((part) => part !== '..'));
  route.fulfill({ body: readFileSync(file), contentType: type });
});
const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], p95: sorted[Math.floor(sorted.length * 0.95)] };
};
for (const slug of slugs) {
  const meta = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', slug, 'meta.json'), 'utf8'));
  const url = `https://${slug}.lightning.force.com${new URL(meta.url).pathname}`;
  const body = fixtureBody(slug);
  for (const path of ['wasm', 'wasm2js']) {
    const seconds = [];
    let result;
    for (let trial = 0; trial < 7; trial++) {
      await page.goto(url);
      if (path === 'wasm') {
        await page.addScriptTag({ type: 'module', content: "const t = performance.now(); const m = await import('/__cc/core-wasm.mjs'); await m.default({ module_or_path: fetch('/__cc/core.wasm') }); window.loadMs = performance.now() - t; window.M = m;" });
      } else {
        await page.addScriptTag({ type: 'module', content: "const t = performance.now(); const m = await import('/__cc/core.mjs'); window.loadMs = performance.now() - t; window.M = m;" });
      }
      await page.waitForFunction(() => window.M);
      const trialResult = await page.evaluate(({ body, warm }) => {
        const run = () => { const t = performance.now(); window.M.evaluatePage(document, location.href, '2026-11-23', null); return performance.now() - t; };
        const cold = run();
        document.body.setHTMLUnsafe(body);
        document.body.offsetHeight; // the page's own style and layout, outside the timing
        const second = run();
        const samples = [];
        if (warm) {
          for (let i = 0; i < 5; i++) run();
          for (let i = 0; i < 31; i++) samples.push(run());
        }
        return { load: window.loadMs, cold, second, samples };
      }, { body, warm: trial === 0 });
      seconds.push(trialResult.second);
      result ??= trialResult;
    }
    const { median, p95 } = stats(result.samples);
    const second = stats(seconds).median;
    console.log(`${slug.padEnd(32)} ${path.padEnd(8)} load ${result.load.toFixed(1)} ms  cold ${result.cold.toFixed(1)} ms  second ${second.toFixed(1)} ms  warm median ${median.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms`);
  }
}
await browser.close();
await standin.close();
