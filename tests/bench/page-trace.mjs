// Where the extension's cost on a cold record page goes: the page's main thread traced with and
// without the extension, in the same run, and the difference per trace event. page-cost.mjs says
// how much the extension adds; this says what it is (our script, WebAssembly compiled lazily on
// the main thread, JavaScript parsed and compiled there, layout and style of the badge, the
// loading of our files).
//
//   bash tests/tools/fixed-clock.sh node tests/bench/page-trace.mjs [--rounds=6] [--third=FOLDER]
//        [--url=URL] [--navigate]
//        [--list=scroll|edit|card|list-cold|board-cold]
//
// `--navigate`: an in-app navigation instead of a cold load. The tab opens another record's page
// (not traced), waits for its badge, then the trace covers the swap to the record layout page
// (the DOM replaced, the URL pushed, as Lightning does) and the 1.5 s after it. Events of our
// files are keyed with the file as well (`FunctionCall main.js`): the evaluation itself runs in
// the task that pushed the URL (`v8.callFunction`, the bench's own script) through the
// Navigation API's event.
//
// `--list=scroll|edit|card`: one change to a list instead (page-cost.mjs's list steps: ten rows
// scrolled in or one cell edited on the 50-row list view, one card edited on the 200-card
// board). The tab loads the list (not traced) and settles; the trace covers the change and the
// 1.5 s after it: the first update after a cold view, as page-cost.mjs measures it.
// `--list=list-cold|board-cold`: the cold load of the 50-row list view or 200-card board.
//
// One fresh profile per configuration (none, the built dist/, optionally a third unpacked
// build), each warmed by one record page that waits for the badge (the first pages after a
// browser starts wait seconds for chrome.storage.managed, docs/performance.md); then per round
// a new tab per configuration, the order alternating, traced from before the navigation until
// 1.5 s after load. Per trace: the thread time of every event on the page renderer's main
// thread, less its children's (self time). Prints the median total and the median paired
// difference per event name, largest first. Trials whose content script did not evaluate
// within the window are counted and shown: a difference without the evaluation in it means
// nothing.
import { chromium } from 'playwright-core';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

import { startStandin } from '../server/salesforce-standin.mjs';
import { assertFixedClock, chromiumArgs, dist, fixtureBody } from '../e2e/browser.mjs';
import { editCard, editCell, LIST_BOARD, LIST_GRID, LIST_HEADERS, listBoard, listGrid, scrollRows } from './list-pages.mjs';

const argv = Object.fromEntries(process.argv.slice(2).map((arg) => {
  const match = arg.match(/^--([a-z-]+)(?:=(.*))?$/);
  if (!match) throw new Error(`unknown argument ${arg} (expected --rounds=N, --third=PATH, --url=URL, --navigate, --list=NAME)`);
  return [match[1], match[2] ?? ''];
}));
const ROUNDS = Number(argv.rounds || 6);
const THIRD = argv.third ? resolve(argv.third) : null;
const NAVIGATE = 'navigate' in argv;
const LISTS = {
  scroll: { url: LIST_GRID, html: () => listGrid(50), script: scrollRows() },
  edit: { url: LIST_GRID, html: () => listGrid(50), script: editCell() },
  card: { url: LIST_BOARD, html: () => listBoard(200), script: editCard() },
  'list-cold': { url: LIST_GRID, html: () => listGrid(50), script: null },
  'board-cold': { url: LIST_BOARD, html: () => listBoard(200), script: null },
};
if (argv.list && !LISTS[argv.list]) throw new Error('--list must be scroll, edit, card, list-cold or board-cold');
const LIST = argv.list ? { ...LISTS[argv.list], body: LISTS[argv.list].html() } : null;
// In-app: from another record's page of the same org to the record layout page's record.
const URL_ = argv.url || (LIST ? LIST.url : NAVIGATE
  ? 'https://lightning-overdue-critical.lightning.force.com/lightning/r/Opportunity/0065g00000QwErTAAV/view?csp=lightning'
  : 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view?csp=lightning');
const STEP = { body: fixtureBody('lightning-record-layout-en-us'), path: '/lightning/r/Opportunity/0065g00000AbCdEAAV/view' };
const SETTLE_MS = 1500;
const WARM_MS = 8000;
const TOP = 25;
if (!(ROUNDS >= 1)) throw new Error('--rounds must be ≥ 1');
if (THIRD && !existsSync(join(THIRD, 'manifest.json'))) throw new Error(`--third: no manifest.json in ${THIRD}`);
assertFixedClock();

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute',
  'disabled-by-default-v8.compile', 'v8.wasm', 'blink', 'blink.user_timing', 'loading', 'toplevel'];
const TASK = 'ThreadControllerImpl::RunTask';
const temporary = [];
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function launchLike(port, extensionPath) {
  const profile = mkdtempSync(join(tmpdir(), 'cc-pagetrace-'));
  temporary.push(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
    args: chromiumArgs({ port, extensions: extensionPath ? [extensionPath] : [] }),
  });
  // Warm-up: the profile's first record page, until its badge is drawn (or the wait ends).
  const page = await context.newPage();
  await page.goto(URL_, { waitUntil: 'load' });
  await sleep(extensionPath ? WARM_MS : SETTLE_MS);
  await page.close();
  return context;
}

/** One traced cold load (or in-app navigation): total main-thread task time and self time per
 *  event name (ms). */
async function trial(context) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (event) => events.push(...event.value));
  const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  if (LIST) await page.route((u) => u.href === URL_, (route) => route.fulfill({ status: 200, headers: LIST_HEADERS, body: LIST.body }));
  if (LIST && LIST.script) {
    await page.goto(URL_, { waitUntil: 'load' });
    await sleep(SETTLE_MS);
  } else if (NAVIGATE) {
    await page.goto(URL_, { waitUntil: 'load' });
    await sleep(SETTLE_MS);
    await page.evaluate((step) => { window.__pageTraceNext = step; }, STEP);
  }
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATEGORIES } });
  if (LIST && LIST.script) {
    await page.evaluate(LIST.script);
  } else if (NAVIGATE) {
    await page.evaluate(() => {
      const { body, path } = window.__pageTraceNext;
      document.body.setHTMLUnsafe(body);
      history.pushState({}, '', path);
    });
  } else {
    await page.goto(URL_, { waitUntil: 'load' });
  }
  await sleep(SETTLE_MS);
  await cdp.send('Tracing.end');
  await complete;
  await page.close();
  const threads = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  const onMain = events.filter((e) => threads.get(`${e.pid}:${e.tid}`) === 'CrRendererMain' && e.ph === 'X' && e.dur != null);
  // The page's renderer: the one whose main thread ran longest.
  const perProcess = new Map();
  for (const e of onMain) if (e.name === TASK) perProcess.set(e.pid, (perProcess.get(e.pid) || 0) + (e.tdur ?? e.dur));
  const pid = [...perProcess].sort((a, b) => b[1] - a[1])[0][0];
  const mine = onMain.filter((e) => e.pid === pid).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const cpu = (e) => e.tdur ?? e.dur;
  const self = {};
  const open = [];
  let total = 0;
  // An event of one of our files is keyed with the file too.
  const key = (e) => {
    const url = e.args?.data?.url || '';
    return url.startsWith('chrome-extension://') ? `${e.name} ${new URL(url).pathname.split('/').pop()}` : e.name;
  };
  for (const e of mine) {
    while (open.length && open[open.length - 1].ts + open[open.length - 1].dur <= e.ts) open.pop();
    const parent = open[open.length - 1];
    self[key(e)] = (self[key(e)] || 0) + cpu(e) / 1000;
    if (parent) self[key(parent)] -= cpu(e) / 1000;
    if (e.name === TASK && !open.some((o) => o.name === TASK)) total += cpu(e) / 1000;
    open.push(e);
  }
  const evaluated = events.some((e) => e.name === 'cc-evaluate');
  return { total, self, evaluated };
}

const standin = await startStandin();
const configs = {};
try {
  // A snapshot of dist/: it may be rebuilt by someone else during the run.
  const snapshot = mkdtempSync(join(tmpdir(), 'cc-pagetrace-dist-'));
  temporary.push(snapshot);
  cpSync(dist, snapshot, { recursive: true });
  configs.none = await launchLike(standin.port, null);
  configs.dist = await launchLike(standin.port, snapshot);
  if (THIRD) configs[basename(THIRD)] = await launchLike(standin.port, THIRD);
  const names = Object.keys(configs);
  const results = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const name of round % 2 ? [...names].reverse() : names) results[name].push(await trial(configs[name]));
    process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
  }
  const withExtension = names.filter((name) => name !== 'none');
  console.log(`${LIST ? `list change "${argv.list}" on ${URL_}` : NAVIGATE ? `in-app navigation from ${URL_} to ${STEP.path}` : URL_}\n${ROUNDS} rounds; main-thread thread time of the page's renderer, ms (median; Δ = median paired difference against none)\n`);
  for (const name of names) {
    const line = [`${name.padEnd(16)} total ${median(results[name].map((r) => r.total)).toFixed(1)}`];
    if (name !== 'none') {
      line.push(`Δ ${median(results[name].map((r, i) => r.total - results.none[i].total)).toFixed(1)}`);
      line.push(`evaluated in ${results[name].filter((r) => r.evaluated).length} of ${ROUNDS} trials`);
    }
    console.log(line.join('   '));
  }
  const keys = new Set(Object.values(results).flat().flatMap((r) => Object.keys(r.self)));
  const delta = (name, key) => median(results[name].map((r, i) => (r.self[key] || 0) - (results.none[i].self[key] || 0)));
  const rows = [...keys].map((key) => [key, ...withExtension.map((name) => delta(name, key))])
    .sort((a, b) => Math.max(...b.slice(1).map(Math.abs)) - Math.max(...a.slice(1).map(Math.abs)))
    .slice(0, TOP);
  console.log(`\n| event (self time) | ${withExtension.map((name) => `Δ ${name}`).join(' | ')} |`);
  console.log(`|---|${withExtension.map(() => '---').join('|')}|`);
  for (const [key, ...values] of rows) console.log(`| ${key} | ${values.map((v) => v.toFixed(1)).join(' | ')} |`);
} finally {
  for (const context of Object.values(configs)) await context.close().catch(() => {});
  await standin.close();
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
}
