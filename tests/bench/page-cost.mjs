// What the extension adds to a Salesforce page's main thread, measured against the same
// Chromium with no extension in the same run (TOOLCHAIN.md, "Measuring what an extension costs
// a page"). One fresh profile per configuration, all launched at the start:
//   none   Chromium with no extension
//   dist   a snapshot of dist/ loaded unpacked (copied at the start: dist/ may be rebuilt by
//          someone else during a ten-minute run, and the figures must belong to one build)
//   third  optional, `--third=/path/to/unpacked-extension`, labelled by its folder name
// Per trial a new tab, CDP `Performance.enable({timeDomain: 'threadTicks'})` before the
// navigation, and `Performance.getMetrics` after it settles: TaskDuration and ScriptDuration are
// main-thread CPU time (they hold up on a busy 2-core machine far better than wall-clock
// timings), JSHeapUsedSize is read after a forced GC. Rounds interleave the configurations,
// none first on odd rounds and dist first on even ones, so each round gives a paired
// difference (config − none) from adjacent trials; the report is the median of those
// differences with a bootstrap 95 % interval (seeded: the same data prints the same table).
//
//   bash tests/tools/fixed-clock.sh node tests/bench/page-cost.mjs [--rounds=15] [--warmup=1]
//        [--third=/path/to/unpacked-extension]
//
// Prints a Markdown table; writes every trial and the summary to target/bench/page-cost.json.
// Does not build: it measures the dist/ that exists (./build.sh first).
import { chromium } from 'playwright-core';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { editCard, editCell, LIST_BOARD, LIST_GRID, LIST_HEADERS, listBoard, listGrid, scrollRows } from './list-pages.mjs';
import { assertFixedClock, chromiumArgs, dist, fixtureBody, launch, root } from '../e2e/browser.mjs';

const argv = Object.fromEntries(process.argv.slice(2).map((arg) => {
  const match = arg.match(/^--([a-z-]+)(?:=(.*))?$/);
  if (!match) throw new Error(`unknown argument ${arg} (expected --rounds=N, --warmup=N, --third=PATH, --only=ID,...)`);
  return [match[1], match[2] ?? ''];
}));
const ROUNDS = Number(argv.rounds || 15);
const WARMUP = Number(argv.warmup ?? 1);
const THIRD = argv.third ? resolve(argv.third) : null;
// `--only=account,list`: these scenarios (and what they chain to) only, for a quick look.
const ONLY = argv.only ? new Set(argv.only.split(',')) : null;
if (!(ROUNDS >= 1) || !(WARMUP >= 0)) throw new Error('--rounds must be ≥ 1 and --warmup ≥ 0');
if (THIRD && !existsSync(join(THIRD, 'manifest.json'))) throw new Error(`--third: no manifest.json in ${THIRD}`);

const SETTLE_MS = 1500; // after 'load' (the page's stylesheet and sprites are in by then): the quiet
const STEP_MS = 1500; // an in-app navigation, measured from the swap
const IDLE_MS = 3000; // the list view after leaving a record
const MUTATIONS = 20; // spread over IDLE_MS, one every IDLE_MS / MUTATIONS
const LEAVE_SETTLE_MS = 600; // the extension reacts to a URL change at once (debounce ≤ 250 ms)
const TIMEOUT_MS = 20000; // any single wait; a stuck trial is dropped, not the run
const RESAMPLES = 2000;

// Record pages are served with Lightning's CSP (Stricter CSP: no inline script, 'unsafe-eval'
// allowed; the stand-in's `?csp=lightning`), under which the content script compiles real
// WebAssembly; `record-strict` measures the JavaScript translation a stricter page gets.
const RECORD = 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view?csp=lightning';
const LARGE = 'https://lightning-large-page-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view?csp=lightning';
const RECORD_STRICT = RECORD.replace('csp=lightning', 'csp=strict');
// Lightning's list view after leaving a record: the stand-in's catch-all markup.
const LIST_BODY = '<div class="windowViewMode-maximized oneContent active lafPageHost"><h1>Recently Viewed</h1>'
  + '<table><tr><td><a href="/lightning/r/Opportunity/0065g00000AbCdEAAV/view">Acme</a></td><td>$1,000.00</td></tr></table></div>';

// Scenarios, the table's rows. `url` opens the tab; `step` (optional) is measured on its own,
// as the difference of the counters across it, after the load has settled. A load and a step
// share a tab when the step starts from exactly the state the load leaves (scenario 1 then its
// navigation): the same trial sequence, in fewer tab openings (the run must fit in ~10 minutes).
const SCENARIOS = [
  { id: 'record-cold', title: 'Opportunity record, cold view', url: RECORD, badge: true },
  { id: 'record-nav', title: 'In-app navigation to another Opportunity', chainedTo: 'record-cold',
    step: { kind: 'navigate', body: fixtureBody('lightning-overdue-critical'), path: '/lightning/r/Opportunity/0065g00000QwErTAAV/view' } },
  { id: 'record-strict', title: "Opportunity record, cold view, strict CSP (script-src 'self')", url: RECORD_STRICT, badge: true },
  { id: 'large-cold', title: 'Large Opportunity page, cold view', url: LARGE, badge: true },
  // Into the large page from another record's page, at the large fixture's own Id (its page
  // host carries record-id="0065g00000AbCdEAAV": under another Id the extension would rightly
  // see a different record on screen and draw nothing).
  { id: 'large-nav', title: 'In-app navigation to another Opportunity (large page)',
    url: 'https://lightning-overdue-critical.lightning.force.com/lightning/r/Opportunity/0065g00000QwErTAAV/view?csp=lightning', unmeasuredLoad: true,
    step: { kind: 'navigate', body: fixtureBody('lightning-large-page-en-us'), path: '/lightning/r/Opportunity/0065g00000AbCdEAAV/view' } },
  { id: 'list-cold', title: 'Opportunity list view, 50 rows, cold view', url: LIST_GRID, html: listGrid(50), badge: true },
  { id: 'list-scroll', title: 'List view: 10 more rows (virtual scroll)', chainedTo: 'list-cold', step: { kind: 'mutate', script: scrollRows() } },
  { id: 'list-edit', title: 'List view: one cell edited inline', chainedTo: 'list-cold', step: { kind: 'mutate', script: editCell() } },
  { id: 'board-cold', title: 'Kanban board, 200 cards, cold view', url: LIST_BOARD, html: listBoard(200), badge: true },
  { id: 'board-edit', title: 'Kanban board: one card edited', chainedTo: 'board-cold', step: { kind: 'mutate', script: editCard() } },
  // Account record pages load the core since issue 19 (their Opportunities related list).
  { id: 'account', title: 'Account record (its Opportunities related list)', url: 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Account/0015g00000XyZabAAB/view' },
  { id: 'list', title: 'Other Salesforce page (Accounts list view)', url: 'https://anything.lightning.force.com/lightning/o/Account/list?filterName=Recent' },
  { id: 'left-record', title: 'Opportunity → non-Opportunity in-app', url: RECORD, unmeasuredLoad: true,
    step: { kind: 'leave', body: LIST_BODY, path: '/lightning/o/Account/list' } },
];
if (ONLY) {
  const unknown = [...ONLY].filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length) throw new Error(`--only: no scenario ${unknown.join(', ')} (${SCENARIOS.map((s) => s.id).join(', ')})`);
  for (let i = SCENARIOS.length - 1; i >= 0; i--) {
    const s = SCENARIOS[i];
    if (!ONLY.has(s.id) && !(s.chainedTo && ONLY.has(s.chainedTo))) SCENARIOS.splice(i, 1);
  }
}
// The tabs of one round, in order: a load and the steps chained to it.
const TABS = SCENARIOS.filter((s) => !s.chainedTo).map((s) => [s, ...SCENARIOS.filter((c) => c.chainedTo === s.id)]);

// The page world keeps every long task and the content script's User Timing entries: the
// content script clears its marks at once, so they are only seen by an observer that exists
// before they are made (hence an init script, in every configuration alike).
const OBSERVE = () => {
  const state = { longTasks: [], marks: [] };
  Object.defineProperty(window, '__pageCost', { value: state });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) state.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* no long-task timing: counted as none */ }
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name.startsWith('cc-')) state.marks.push([e.name, e.startTime, e.duration]);
  }).observe({ entryTypes: ['mark', 'measure'] });
};

const temporary = []; // folders this run made (profiles, the dist/ snapshot): removed at the end
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
/** Rejects when `promise` takes longer than TIMEOUT_MS (CDP calls and evaluations have no
 *  timeout of their own). */
const timed = (promise, what) => {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS); })])
    .finally(() => clearTimeout(timer));
};

// ---- browsers -----------------------------------------------------------------------------

/** As browser.mjs launch(), which always loads an extension and waits for this extension's
 *  worker: "none" needs neither, and a third extension may have another worker or none. */
async function launchLike({ port, extensionPath = null }) {
  assertFixedClock();
  const userDataDir = mkdtempSync(join(tmpdir(), 'cc-pagecost-'));
  temporary.push(userDataDir);
  const args = chromiumArgs({ port, extensions: extensionPath ? [extensionPath] : [] });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
    args,
  });
  if (extensionPath) {
    // A declared worker must be up before the first trial, or its start lands in one trial.
    const manifest = JSON.parse(readFileSync(join(extensionPath, 'manifest.json'), 'utf8'));
    const script = manifest.background && manifest.background.service_worker;
    if (script) {
      const ours = (w) => w.url().startsWith('chrome-extension://') && w.url().endsWith(`/${script}`);
      if (!context.serviceWorkers().some(ours)) await context.waitForEvent('serviceworker', { predicate: ours, timeout: 15000 });
    }
  }
  return { context };
}

/** The files that make the extension's page cost, hashed: the figures name the build. */
function describeBuild(folder) {
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
  const files = {};
  for (const block of manifest.content_scripts || []) {
    for (const file of block.js || []) {
      const bytes = readFileSync(join(folder, file));
      files[file] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex').slice(0, 16) };
    }
  }
  return { version: manifest.version, contentScripts: files };
}

/** Newest modification time under `folder` (to note a dist/ older than its sources). */
function newest(folder) {
  let latest = 0;
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else latest = Math.max(latest, stat.mtimeMs);
    }
  };
  walk(folder);
  return latest;
}

// ---- one trial ----------------------------------------------------------------------------

/** Main-thread counters of the tab: task and script time first, then a forced GC and the heap
 *  (the GC's own time must not count as the page's). */
async function counters(cdp) {
  const read = async () => Object.fromEntries((await timed(cdp.send('Performance.getMetrics'), 'getMetrics')).metrics.map((m) => [m.name, m.value]));
  const times = await read();
  await timed(cdp.send('HeapProfiler.collectGarbage'), 'collectGarbage');
  const after = await read();
  return {
    taskMs: times.TaskDuration * 1000,
    scriptMs: times.ScriptDuration * 1000,
    heapBytes: after.JSHeapUsedSize,
    // Task time after the GC: the start of a step measured next in the same tab.
    taskAfterGcMs: after.TaskDuration * 1000,
    scriptAfterGcMs: after.ScriptDuration * 1000,
  };
}

/** Long tasks and `cc-` marks the page world has seen since `since` (performance.now()). */
async function pageState(page, since = -Infinity) {
  return timed(page.evaluate((since) => {
    const nav = performance.getEntriesByType('navigation')[0];
    const { longTasks, marks } = window.__pageCost;
    return {
      domInteractive: nav ? nav.domInteractive : null,
      longTasks: longTasks.filter(([start]) => start >= since).map(([, duration]) => duration),
      painted: marks.filter(([name, start]) => name === 'cc-badge-painted' && start >= since).map(([, start]) => start),
    };
  }, since), 'page state');
}

/** One tab in one configuration: the load, then each chained step. Returns one trial per
 *  measured scenario. */
async function runTab(config, tab, round, warmup) {
  const [first, ...chained] = tab;
  const trials = [];
  const page = await timed(config.context.newPage(), 'new tab');
  page.setDefaultTimeout(TIMEOUT_MS);
  const base = { round, warmup, config: config.name };
  let cdp = null;
  try {
    cdp = await timed(config.context.newCDPSession(page), 'CDP session');
    await timed(cdp.send('Performance.enable', { timeDomain: 'threadTicks' }), 'Performance.enable');
    if (first.html) {
      // The fixture with its list made larger, with the stand-in's headers for `?csp=lightning`;
      // the same in every configuration.
      await page.route((url) => url.href === first.url, (route) => route.fulfill({ status: 200, headers: LIST_HEADERS, body: first.html }));
    }
    const started = Date.now();
    await page.goto(first.url, { waitUntil: 'load', timeout: TIMEOUT_MS });
    await sleep(SETTLE_MS);
    const now = await counters(cdp);
    if (!first.unmeasuredLoad) {
      const state = await pageState(page);
      trials.push({
        ...base, scenario: first.id,
        taskMs: now.taskMs, scriptMs: now.scriptMs, heapMB: now.heapBytes / 1048576,
        longTasks: state.longTasks,
        badgeMs: state.painted.length && state.domInteractive != null ? state.painted[0] - state.domInteractive : null,
        wallMs: Date.now() - started,
      });
    }
    for (const scenario of [...(first.step ? [first] : []), ...chained]) {
      const { step } = scenario;
      // The next body is handed over before the baseline: its transfer is not the step's.
      if (step.body) await timed(page.evaluate((next) => { window.__pageCostNext = next; }, { body: step.body, path: step.path }), 'stage step');
      if (step.kind === 'leave') {
        // Leave the record first (not measured), then measure the list view's idle time.
        await timed(page.evaluate(() => {
          const { body, path } = window.__pageCostNext;
          delete window.__pageCostNext;
          document.body.setHTMLUnsafe(body);
          history.pushState({}, '', path);
        }), 'leave');
        await sleep(LEAVE_SETTLE_MS);
      }
      const start = await counters(cdp);
      const before = { taskMs: start.taskAfterGcMs, scriptMs: start.scriptAfterGcMs, heapBytes: start.heapBytes };
      const stepStarted = Date.now();
      let since;
      if (step.kind === 'mutate') {
        // One change to the list, then the quiet: one evaluation and its drawing.
        since = await timed(page.evaluate(`(() => { const t = performance.now(); ${step.script}; return t; })()`), 'mutate');
        await sleep(STEP_MS);
      } else if (step.kind === 'navigate') {
        // As Lightning moves between records: the DOM swapped (declarative shadow roots
        // parsed), then the URL pushed.
        since = await timed(page.evaluate(() => {
          const t = performance.now();
          const { body, path } = window.__pageCostNext;
          delete window.__pageCostNext;
          document.body.setHTMLUnsafe(body);
          history.pushState({}, '', path);
          return t;
        }), 'navigate');
        await sleep(STEP_MS);
      } else {
        // Small page changes on the list view, as a live page makes: each one reaches the
        // extension's observer.
        since = await timed(page.evaluate(async ({ count, every }) => {
          const t = performance.now();
          const host = document.querySelector('.oneContent') || document.body;
          let added = null;
          for (let i = 0; i < count; i++) {
            if (added) { added.remove(); added = null; } else { added = document.createElement('div'); added.textContent = `row ${i}`; host.append(added); }
            await new Promise((done) => setTimeout(done, every));
          }
          return t;
        }, { count: MUTATIONS, every: IDLE_MS / MUTATIONS }), 'mutations');
      }
      const after = await counters(cdp);
      const state = await pageState(page, since);
      trials.push({
        ...base, scenario: scenario.id,
        taskMs: after.taskMs - before.taskMs,
        scriptMs: after.scriptMs - before.scriptMs,
        heapMB: (after.heapBytes - before.heapBytes) / 1048576,
        longTasks: state.longTasks,
        badgeMs: ['navigate', 'mutate'].includes(step.kind) && state.painted.length ? state.painted[0] - since : null,
        wallMs: Date.now() - stepStarted,
      });
    }
  } finally {
    if (cdp) await timed(cdp.detach(), 'detach').catch(() => {});
    await timed(page.close(), 'close tab').catch(() => {});
  }
  return trials;
}

// ---- statistics ---------------------------------------------------------------------------

const median = (values) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** mulberry32, seeded from the name of what is resampled: reproducible, and independent of
 *  the order the summaries are computed in. */
function prng(name) {
  let seed = 2166136261;
  for (const char of name) seed = Math.imul(seed ^ char.charCodeAt(0), 16777619) >>> 0;
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Median with a percentile bootstrap 95 % interval. */
function bootstrap(values, name) {
  if (values.length === 0) return { median: null, low: null, high: null, n: 0 };
  const random = prng(name);
  const medians = new Float64Array(RESAMPLES);
  const sample = new Array(values.length);
  for (let r = 0; r < RESAMPLES; r++) {
    for (let i = 0; i < values.length; i++) sample[i] = values[Math.floor(random() * values.length)];
    medians[r] = median(sample);
  }
  medians.sort();
  return { median: median(values), low: medians[Math.floor(RESAMPLES * 0.025)], high: medians[Math.ceil(RESAMPLES * 0.975) - 1], n: values.length };
}

function summarise(trials, configNames) {
  const measured = trials.filter((t) => !t.warmup && !t.error);
  const summary = [];
  for (const scenario of SCENARIOS) {
    const of = (config) => new Map(measured.filter((t) => t.scenario === scenario.id && t.config === config).map((t) => [t.round, t]));
    const none = of('none');
    const absolute = (rows) => ({
      taskMs: median(rows.map((t) => t.taskMs)),
      scriptMs: median(rows.map((t) => t.scriptMs)),
      heapMB: median(rows.map((t) => t.heapMB)),
      longTasks: rows.reduce((sum, t) => sum + t.longTasks.length, 0),
      longTaskMedianMs: median(rows.flatMap((t) => t.longTasks)),
      n: rows.length,
    });
    summary.push({ scenario: scenario.id, title: scenario.title, config: 'none', absolute: absolute([...none.values()]) });
    for (const config of configNames.filter((c) => c !== 'none')) {
      const mine = of(config);
      const pairs = [...mine.keys()].filter((round) => none.has(round)).map((round) => [mine.get(round), none.get(round)]);
      const key = `${scenario.id}/${config}`;
      const delta = (field) => bootstrap(pairs.map(([a, b]) => a[field] - b[field]), `${key}/${field}`);
      const durations = pairs.flatMap(([a]) => a.longTasks);
      const badges = [...mine.values()].map((t) => t.badgeMs).filter((v) => v != null);
      const drawsBadge = scenario.badge || (scenario.step && ['navigate', 'mutate'].includes(scenario.step.kind));
      summary.push({
        scenario: scenario.id, title: scenario.title, config,
        n: pairs.length,
        taskMs: delta('taskMs'),
        scriptMs: delta('scriptMs'),
        heapMB: delta('heapMB'),
        longTaskCount: bootstrap(pairs.map(([a, b]) => a.longTasks.length - b.longTasks.length), `${key}/longTaskCount`),
        longTasks: { total: durations.length, views: pairs.length, noneTotal: pairs.reduce((sum, [, b]) => sum + b.longTasks.length, 0), durationMs: bootstrap(durations, `${key}/longTaskMs`) },
        // Cold: from domInteractive; navigation: from the swap. `drawn` of `of` views.
        badgeMs: drawsBadge ? { ...bootstrap(badges, `${key}/badgeMs`), drawn: badges.length, of: mine.size } : null,
        absolute: absolute([...mine.values()]),
      });
    }
  }
  return summary;
}

// ---- report -------------------------------------------------------------------------------

const signed = (value, digits) => (value == null ? '–' : `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`);
const withCi = (s, digits) => (s.median == null ? '–' : `${signed(s.median, digits)} [${signed(s.low, digits)}, ${signed(s.high, digits)}]`);

function table(summary) {
  const lines = [
    '| scenario | config | Δ task ms [95 % CI] | Δ script ms | Δ heap MB [CI] | long tasks (count, median ms) | n |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of summary) {
    if (row.config === 'none') {
      // The baseline, absolute: what the page costs itself.
      const a = row.absolute;
      const long = a.longTasks ? `${a.longTasks} in ${a.n} views, ${a.longTaskMedianMs.toFixed(0)} ms` : `0 in ${a.n} views`;
      lines.push(`| ${row.title} | none (absolute) | ${a.n ? a.taskMs.toFixed(1) : '–'} | ${a.n ? a.scriptMs.toFixed(1) : '–'} | ${a.n ? a.heapMB.toFixed(2) : '–'} | ${long} | ${a.n} |`);
      continue;
    }
    const lt = row.longTasks;
    const long = `Δ ${withCi(row.longTaskCount, 0)}; ${lt.total} in ${lt.views} views`
      + (lt.total ? `, ${lt.durationMs.median.toFixed(0)} ms [${lt.durationMs.low.toFixed(0)}, ${lt.durationMs.high.toFixed(0)}]` : '')
      + ` (none: ${lt.noneTotal})`;
    lines.push(`| ${row.title} | ${row.config} | ${withCi(row.taskMs, 1)} | ${withCi(row.scriptMs, 1)} | ${withCi(row.heapMB, 2)} | ${long} | ${row.n} |`);
  }
  return lines.join('\n');
}

// ---- the run ------------------------------------------------------------------------------

const startedAt = Date.now();
const configs = [];
let standin = null;
const trials = [];
let exitCode = 0;
try {
  assertFixedClock();
  const distCopy = join(mkdtempSync(join(tmpdir(), 'cc-pagecost-dist-')), 'dist');
  temporary.push(dirname(distCopy));
  cpSync(dist, distCopy, { recursive: true });
  const sources = ['content', 'background', ...['health', 'client', 'content', 'worker'].map((crate) => `extension-core/${crate}/src`)].map((dir) => newest(join(root, dir)));
  const builds = { dist: { ...describeBuild(distCopy), from: dist, builtAt: new Date(newest(dist)).toISOString(), sourcesNewerThanBuild: Math.max(...sources) > newest(dist) } };
  if (builds.dist.sourcesNewerThanBuild) console.error('page-cost: note: sources are newer than dist/; this measures dist/ as it is');

  standin = await startStandin();
  configs.push({ name: 'none', ...(await launchLike({ port: standin.port })) });
  configs.push({ name: 'dist', ...(await launch({ port: standin.port, extensionPath: distCopy })) });
  if (THIRD) {
    const name = basename(THIRD);
    if (configs.some((c) => c.name === name)) throw new Error(`--third: the label "${name}" is taken`);
    configs.push({ name, ...(await launchLike({ port: standin.port, extensionPath: THIRD })) });
    builds[name] = { ...describeBuild(THIRD), from: THIRD };
  }
  for (const config of configs) await config.context.addInitScript(OBSERVE);
  const probe = await configs[0].context.newCDPSession(configs[0].context.pages()[0] || await configs[0].context.newPage());
  const { product } = await probe.send('Browser.getVersion');
  await probe.detach();

  const [none, distConfig, ...others] = configs;
  const total = WARMUP + ROUNDS;
  for (let r = 1; r <= total; r++) {
    const warmup = r <= WARMUP;
    // none first on odd rounds, dist first on even ones; a third configuration follows the
    // pair, so in even rounds it is next to none.
    const order = r % 2 ? [none, distConfig, ...others] : [distConfig, none, ...others];
    for (const tab of TABS) {
      for (const config of order) {
        try {
          trials.push(...(await runTab(config, tab, r, warmup)));
        } catch (error) {
          for (const scenario of tab) trials.push({ round: r, warmup, config: config.name, scenario: scenario.id, error: String(error.message || error).split('\n')[0] });
          console.error(`page-cost: round ${r}, ${tab[0].id}, ${config.name}: ${String(error.message || error).split('\n')[0]}`);
        }
      }
    }
    if (warmup && r === WARMUP) {
      // A build that draws no badge would measure a broken extension, not its cost.
      const drew = trials.some((t) => t.round <= WARMUP && t.config === 'dist' && SCENARIOS.find((s) => s.id === t.scenario).badge && t.badgeMs != null);
      if (SCENARIOS.some((s) => s.badge) && !drew) throw new Error('dist drew no badge on the Opportunity record during the warm-up: is dist/ built and working?');
    }
    console.error(`page-cost: round ${r}/${total}${warmup ? ' (warm-up)' : ''} done, ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  }
  const failed = trials.filter((t) => t.error && !t.warmup).length;
  const measuredCount = trials.filter((t) => !t.warmup).length;
  if (failed > measuredCount * 0.2) exitCode = 1;

  const summary = summarise(trials, configs.map((c) => c.name));
  // The badge: when it was drawn, and whether it was (a step that draws none measures something
  // else: the extension waiting, not drawing).
  const badgeLines = [];
  for (const config of configs.map((c) => c.name).filter((c) => c !== 'none')) {
    const rows = summary.filter((row) => row.config === config && row.badgeMs);
    if (!rows.some((row) => row.badgeMs.drawn)) {
      badgeLines.push(`- ${config}: no badge mark in any view`);
      continue;
    }
    for (const { title, scenario, badgeMs: b } of rows) {
      const from = SCENARIOS.find((s) => s.id === scenario).badge ? 'after domInteractive' : 'after the swap';
      badgeLines.push(`- ${title}, ${config}: ` + (b.drawn
        ? `median ${b.median.toFixed(0)} ms ${from} [${b.low.toFixed(0)}, ${b.high.toFixed(0)}], drawn in ${b.drawn} of ${b.of} views`
        : `no badge drawn in ${b.of} views`));
    }
  }
  const out = [
    `Page cost of the extension, ${ROUNDS} rounds (+${WARMUP} warm-up), ${product}, main-thread CPU time (thread ticks); Δ = config − none, paired per round, median [bootstrap 95 % CI]; heap after a forced GC. Navigation rows: the counters across the step only (${STEP_MS / 1000} s after the swap; the list view: ${IDLE_MS / 1000} s with ${MUTATIONS} small DOM changes).`,
    '',
    table(summary),
    '',
    'Targets: record cold view ≤ +15 ms task, no long task, heap ≤ +1 MB, badge ≤ 50 ms after fields; other pages ≤ +2 ms task and ≤ +0.1 MB heap over the isolated-world floor (~0.18 MB); in-app navigation ≤ 2 ms per view.',
    '',
    'Time from fields in the DOM (the navigation\'s domInteractive: the fixtures are static HTML) to the badge drawn (the content script\'s cc-badge-painted mark); for in-app navigation, from the swap:',
    ...badgeLines,
  ];
  if (failed) out.push('', `${failed} of ${measuredCount} measured trials failed (see errors in the JSON); their rounds are left out of the pairs.`);
  console.log(out.join('\n'));

  mkdirSync(join(root, 'target', 'bench'), { recursive: true });
  writeFileSync(join(root, 'target', 'bench', 'page-cost.json'), JSON.stringify({
    when: new Date(startedAt).toISOString(),
    chromium: product,
    rounds: ROUNDS, warmup: WARMUP,
    method: { settleMs: SETTLE_MS, stepMs: STEP_MS, idleMs: IDLE_MS, mutations: MUTATIONS, leaveSettleMs: LEAVE_SETTLE_MS, resamples: RESAMPLES, timeDomain: 'threadTicks' },
    configs: configs.map((c) => c.name),
    builds,
    scenarios: SCENARIOS.map(({ id, title, url, chainedTo, step }) => ({ id, title, url, chainedTo, step: step && { kind: step.kind, path: step.path } })),
    trials,
    summary,
    durationS: Math.round((Date.now() - startedAt) / 1000),
  }, null, 2));
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  for (const config of configs) await timed(config.context.close(), 'close browser').catch(() => {});
  if (standin) await timed(standin.close(), 'close stand-in').catch(() => {});
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
}
process.exitCode = exitCode;
