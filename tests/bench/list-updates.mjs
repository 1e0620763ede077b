// What one change to a list costs the content script, evaluation by evaluation: loads the
// 50-row list view (and the 200-card board) with the extension, lets it settle, then makes the
// page-cost bench's changes (ten rows scrolled in, one cell edited, one card edited) and lists
// every `cc-evaluate` measure each change caused (count and duration) and the script time of
// the step (CDP thread ticks). A diagnostic, not a paired measurement: for what the extension
// adds to a page use page-cost.mjs.
//
//   bash tests/tools/fixed-clock.sh node tests/bench/list-updates.mjs [--repeat=5]
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { assertFixedClock, chromiumArgs, dist, root } from '../e2e/browser.mjs';

const argv = Object.fromEntries(process.argv.slice(2).map((arg) => {
  const match = arg.match(/^--([a-z-]+)(?:=(.*))?$/);
  if (!match) throw new Error(`unknown argument ${arg} (expected --repeat=N)`);
  return [match[1], match[2] ?? ''];
}));
const REPEAT = Number(argv.repeat || 5);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
};
const GRID = 'https://list-lightning-grid-en-us.lightning.force.com/lightning/o/Opportunity/list?filterName=AllOpportunities&csp=lightning';
const BOARD = 'https://list-kanban-en-us.lightning.force.com/lightning/o/Opportunity/list?filterName=MyOpportunities&csp=lightning';
const page = (slug) => readFileSync(join(root, 'tests', 'fixtures', slug, 'page.html'), 'utf8');
const newId = (prefix, i) => `0065g00000${prefix}${String(i).padStart(4, '0')}AAA`;
function repeated(html, item, counts, prefix) {
  let made = 0;
  let run = 0;
  return html.replace(new RegExp(`(?:${item.source})+`, 'gs'), (block) => {
    const first = block.match(new RegExp(item.source, 's'));
    const copies = counts(run++);
    let out = '';
    for (let i = 0; i < copies; i++) out += first[0].split(first[1]).join(newId(prefix, made++));
    return out;
  });
}
const grid = repeated(page('list-lightning-grid-en-us'), /<tr class="slds-hint-parent" data-row-key-value="(0065g00000Ls\w+)"[^>]*>.*?<\/tr>/, () => 50, 'G');
const boardHtml = page('list-kanban-en-us');
const columns = (boardHtml.match(/class="forceKanbanColumn /g) || []).length;
const board = repeated(boardHtml, /<li class="forceKanbanCard[^"]*" data-recordid="(006\w+)">.*?<\/li>/, (run) => Math.floor(200 / columns) + (run < 200 % columns ? 1 : 0), 'K');

const STEPS = {
  scroll: (i) => `(() => {
    const rows = document.querySelectorAll('tr[data-row-key-value^="0065g00000G"]');
    const last = rows[rows.length - 1];
    for (let j = 0; j < 10; j++) {
      const copy = last.cloneNode(true);
      for (const host of copy.querySelectorAll('cc-deal-health-row')) host.remove();
      const id = '0065g00000S' + String(${i} * 10 + j).padStart(4, '0') + 'AAA';
      copy.setAttribute('data-row-key-value', id);
      copy.querySelector('a[href*="0065g"]').setAttribute('href', '/lightning/r/' + id + '/view');
      last.parentElement.append(copy);
    }
  })()`,
  edit: (i) => `(() => {
    document.querySelector('tr[data-row-key-value^="0065g00000G"] td[data-label="Close Date"] lightning-formatted-date-time').textContent = '1/${i + 5}/2026';
  })()`,
  card: (i) => `(() => {
    document.querySelector('.forceKanbanCard lightning-formatted-number').textContent = '$1,00${i}.00';
  })()`,
};

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
  for (const [name, url, html, steps] of [['list, 50 rows', GRID, grid, ['scroll', 'edit']], ['board, 200 cards', BOARD, board, ['card']]]) {
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await tab.route((u) => u.href === url, (route) => route.fulfill({ status: 200, headers: HEADERS, body: html }));
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
