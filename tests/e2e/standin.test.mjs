// The Salesforce stand-in itself: it serves Salesforce's own stylesheet (and icons) where an org
// does, every fixture page links it as a real page does, and the demo's dates follow the day it
// runs. No browser: plain HTTPS requests to the stand-in.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

import { PAGE_ASSETS, isPageAsset, startStandin, withRelativeDates } from '../server/salesforce-standin.mjs';
import { root } from './browser.mjs';

const fixturesDir = join(root, 'tests', 'fixtures');
// The pages generate.py writes (a page captured from a real org, tests/tools/add-fixture.sh,
// links what that org served).
const slugs = readdirSync(fixturesDir).filter((slug) => existsSync(join(fixturesDir, slug, 'page.html'))
  && !JSON.parse(readFileSync(join(fixturesDir, slug, 'meta.json'), 'utf8')).note.startsWith('captured from a real org')).sort();
const SLDS = '/_slds/styles/salesforce-lightning-design-system.min.css';

let standin;
before(async () => { standin = await startStandin(); });
after(async () => { await standin?.close(); });

function get(host, path) {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: standin.port, path, servername: host, rejectUnauthorized: false, headers: { host } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, type: response.headers['content-type'], body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

test('the SLDS stylesheet and icon sprites are served from the npm package where Lightning serves them', async () => {
  const css = await get('acme.lightning.force.com', SLDS);
  assert.equal(css.status, 200);
  assert.match(css.type, /^text\/css/);
  const packaged = readFileSync(join(root, 'node_modules', '@salesforce-ux', 'design-system', 'assets', 'styles', 'salesforce-lightning-design-system.min.css'));
  assert.ok(css.body.equals(packaged), 'the npm package\'s own file, unchanged');
  assert.ok(css.body.length > 500_000 && css.body.includes('.slds-global-header_container{position:fixed'), 'the real stylesheet');
  for (const path of Object.keys(PAGE_ASSETS)) {
    const host = path.startsWith('/sCSS/') ? 'acme.my.salesforce.com' : 'acme.lightning.force.com';
    const asset = await get(host, path);
    assert.equal(asset.status, 200, path);
    assert.match(asset.type, path.endsWith('.svg') ? /^image\/svg\+xml/ : /^text\/css/, path);
  }
  assert.equal(isPageAsset('https://x.lightning.force.com/_slds/styles/other.css'), false, 'only the listed files');
});

test('every Lightning fixture links the SLDS stylesheet in its head, every Classic one the Classic stylesheet, and nothing else is fetched', () => {
  for (const slug of slugs) {
    const html = readFileSync(join(fixturesDir, slug, 'page.html'), 'utf8');
    const head = html.slice(0, html.indexOf('</head>'));
    const stylesheets = [...head.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>/g)].map((m) => /href="([^"]+)"/.exec(m[0])[1]);
    if (/^(list-)?classic-/.test(slug)) assert.deepEqual(stylesheets, [Object.keys(PAGE_ASSETS).find((p) => p.startsWith('/sCSS/'))], slug);
    else assert.deepEqual(stylesheets, [SLDS], slug);
    // Every subresource the markup names (stylesheets, sprite references, images) is served.
    const subresources = [...html.matchAll(/<(?:link|use|img|script)\b[^>]*\b(?:href|src)="([^"#]+)[^"]*"/g)].map((m) => m[1]);
    for (const path of subresources) assert.ok(isPageAsset(path), `${slug}: ${path} is a page asset the stand-in serves`);
  }
});

test('the demo\'s dates follow the day it runs; the tests\' pages keep theirs', async () => {
  // The fixtures were written for 2026-11-23 (generate.py's TODAY): seven days later, every
  // M/D/YYYY date moves by seven days, in either spelling.
  const later = new Date(2026, 10, 30, 9, 0);
  assert.equal(withRelativeDates('Close 12/15/2026, was 01/01/2020, next 2/27/2027, $1,250,000.00', later),
    'Close 12/22/2026, was 01/08/2020, next 3/6/2027, $1,250,000.00');
  assert.equal(withRelativeDates('12/15/2026', new Date(2026, 10, 23, 23, 59)), '12/15/2026', 'the fixtures\' own day: unchanged');
  assert.equal(withRelativeDates('12/31/2026', new Date(2027, 0, 1)), '2/8/2027', '39 days later, across a year');
  const served = await get('lightning-record-layout-en-us.lightning.force.com', '/lightning/r/Opportunity/0065g00000AbCdEAAV/view');
  assert.ok(served.body.equals(readFileSync(join(fixturesDir, 'lightning-record-layout-en-us', 'page.html'))), 'without relativeDates the page is served as written');
});
