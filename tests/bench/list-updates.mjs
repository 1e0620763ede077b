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
    // The first page after a fresh profile starts waits seconds for the administrator's
    // policy (docs/performance.md): the steps start once the list was read.
    await tab.waitForFunction(() => window.__listUpdates.evaluations.length > 0, null, { timeout: 15000 });
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
        // Inclusive time of the entry points (everything sampled under them), and who calls the
        // browser's own functions at the top of the list.
        const parent = new Map();
        for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n);
        const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`;
        const inclusive = new Map();
        const callers = new Map();
        k = 0;
        for (const id of profile.samples) {
          const ms = (dt[k++] || 0) / 1000;
          const seen = new Set();
          for (let n = byId.get(id); n; n = parent.get(n.id)) {
            const key = name(n);
            if (!seen.has(key)) { seen.add(key); inclusive.set(key, (inclusive.get(key) || 0) + ms); }
          }
          const leaf = byId.get(id);
          const up = parent.get(leaf.id);
          if (up && !leaf.callFrame.url) { const key = `${name(leaf)} ← ${name(up)}`; callers.set(key, (callers.get(key) || 0) + ms); }
        }
        for (const key of ['evaluate main.js', 'evaluateList core.wasm', 'drawRows main.js', 'drawList main.js', '(anon) main.js', 'noteChanges main.js', 'fitRows main.js']) console.log(`   incl ${(inclusive.get(key) || 0).toFixed(1).padStart(7)} ms  ${key}`);
        if (argv.tree) {
          // Time under each callee of the functions named (substring), summed over the calls.
          const under = new Map();
          k = 0;
          for (const id of profile.samples) {
            const ms = (dt[k++] || 0) / 1000;
            const path = [];
            for (let n = byId.get(id); n; n = parent.get(n.id)) path.unshift(name(n));
            for (const wanted of argv.tree.split(',')) {
              const at = path.findIndex((key) => key.includes(wanted));
              if (at < 0) continue;
              const child = path[at + 1] || '(self)';
              const key = `${wanted} > ${child.replace(/::h[0-9a-f]{16}/, '').slice(0, 120)}`;
              under.set(key, (under.get(key) || 0) + ms);
            }
          }
          for (const [key, ms] of [...under.entries()].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`   tree ${ms.toFixed(1).padStart(7)} ms  ${key}`);
        }
        if (argv.profile === 'core') {
          const core = [...inclusive.entries()].filter(([key]) => key.endsWith('core.wasm') || key.endsWith('core-wasm.mjs')).sort((a, b) => b[1] - a[1]).slice(0, 40);
          for (const [key, ms] of core) console.log(`   core ${ms.toFixed(1).padStart(7)} ms  ${key.replace(/::h[0-9a-f]{16}/, '').slice(0, 150)}`);
        }
        for (const [key, ms] of [...callers.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`   from ${ms.toFixed(1).padStart(7)} ms  ${key}`);
      }
    }
    await tab.close();
  }
} finally {
  await context.close();
  await standin.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
