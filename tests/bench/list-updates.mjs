// What one change to a list costs the content script, evaluation by evaluation: loads the
// 50-row list view (and the 200-card board) with the extension, lets it settle, then makes the
// page-cost bench's changes (ten rows scrolled in, one cell edited, one card edited) and lists
// every `cc-evaluate` measure each change caused (count and duration) and the script time of
// the step (CDP thread ticks). A diagnostic, not a paired measurement: for what the extension
// adds to a page use page-cost.mjs.
//
//   bash tests/tools/fixed-clock.sh node tests/bench/list-updates.mjs [--repeat=5]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { assertFixedClock, chromiumArgs, dist } from '../e2e/browser.mjs';
import { editCard, editCell, LIST_BOARD, LIST_GRID, LIST_HEADERS, listBoard, listGrid, scrollRows } from './list-pages.mjs';

const argv = Object.fromEntries(process.argv.slice(2).map((arg) => {
  const match = arg.match(/^--([a-z-]+)(?:=(.*))?$/);
  if (!match) throw new Error(`unknown argument ${arg} (expected --repeat=N)`);
  return [match[1], match[2] ?? ''];
}));
const REPEAT = Number(argv.repeat || 5);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

const STEPS = { scroll: scrollRows, edit: editCell, card: editCard };

const OBSERVE = () => {
  const state = { evaluations: [] };
  Object.defineProperty(window, '__listUpdates', { value: state });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'cc-evaluate') state.evaluations.push([e.startTime, e.duration]);
  }).observe({ entryTypes: ['measure'] });
};

assertFixedClock();
const standin = await startStandin();
const userDataDir = mkdtempSync(join(tmpdir(), 'cc-listupdates-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  ignoreHTTPSErrors: true,
  viewport: { width: 1280, height: 800 },
  args: chromiumArgs({ port: standin.port, extensions: [dist] }),
});
try {
  await context.addInitScript(OBSERVE);
  for (const [name, url, html, steps] of [['list, 50 rows', LIST_GRID, listGrid(50), ['scroll', 'edit']], ['board, 200 cards', LIST_BOARD, listBoard(200), ['card']]]) {
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await tab.route((u) => u.href === url, (route) => route.fulfill({ status: 200, headers: LIST_HEADERS, body: html }));
    await tab.goto(url, { waitUntil: 'load' });
    await sleep(2000);
    const script = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration').value * 1000;
    const load = await tab.evaluate(() => window.__listUpdates.evaluations.map(([, d]) => d.toFixed(1)));
    console.log(`${name}: cold evaluations (ms): ${load.join(', ')}`);
    for (const step of steps) {
      if (argv.profile) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 100 }); await cdp.send('Profiler.start'); }
      for (let i = 0; i < REPEAT; i++) {
        const before = await script();
        const since = await tab.evaluate(`(() => { const t = performance.now(); ${STEPS[step](i)}; return t; })()`);
        await sleep(1500);
        const after = await script();
        const evaluations = await tab.evaluate((since) => window.__listUpdates.evaluations.filter(([s]) => s >= since).map(([s, d]) => `${d.toFixed(1)}@+${(s - since).toFixed(0)}`), since);
        console.log(`${name}: ${step} #${i + 1}: script ${(after - before).toFixed(1)} ms, evaluations: ${evaluations.join(', ') || 'none'}`);
      }
      if (argv.profile) {
        const { profile } = await cdp.send('Profiler.stop');
        const self = new Map();
        const byId = new Map(profile.nodes.map((n) => [n.id, n]));
        const dt = profile.timeDeltas; let k = 0;
        for (const id of profile.samples) { const n = byId.get(id); const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`; self.set(key, (self.get(key) || 0) + (dt[k++] || 0) / 1000); }
        const top = [...self.entries()].filter(([key]) => !key.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 25);
        for (const [key, ms] of top) console.log(`   ${ms.toFixed(1).padStart(7)} ms  ${key}`);
      }
    }
    await tab.close();
  }
} finally {
  await context.close();
  await standin.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
