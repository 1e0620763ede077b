// Analysis requests are paced per tab (SECURITY.md, "A page cannot make the extension fetch
// without end"): at most ten different records a minute in one tab, however the tab got to
// them; a record asked again costs nothing; another tab has its own allowance.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStandin } from '../server/salesforce-standin.mjs';
import { eventually, launch, signIn, startReferenceServer, waitForBadge } from './browser.mjs';

let standin;
let api;
let browser;

before(async () => {
  standin = await startStandin();
  api = await startReferenceServer();
  browser = await launch({ port: standin.port, apiPort: api.port });
  await (await signIn(browser)).close();
});

after(async () => {
  await browser?.context.close().catch(() => {});
  api?.stop();
  await standin?.close();
});

// A fixture page without record-Id markers of its own: it stands for any record.
const url = (id) => `https://lightning-dynamic-forms-en-us.lightning.force.com/lightning/r/Opportunity/${id}/view`;
/** A 15-character Id with its three-letter case checksum (18 characters). */
function withChecksum(id) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) if (/[A-Z]/.test(id[chunk * 5 + i])) bits |= 1 << i;
    suffix += alphabet[bits];
  }
  return id + suffix;
}
const ids = Array.from({ length: 12 }, (_, n) => withChecksum(`0065g00000Pc${String(n).padStart(3, '0')}`));
const asked = async () => new Set((await api.get('/__admin/requests'))
  .map((r) => /^\/v1\/opportunities\/(0065g00000Pc\d{3}[A-Z0-5]{3})/.exec(r.path)?.[1]).filter(Boolean));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('one tab gets ten records analysed a minute; the rest keep their local badge', async (t) => {
  const page = await browser.context.newPage();
  const started = Date.now();
  for (const [n, id] of ids.entries()) {
    await page.goto(url(id));
    await waitForBadge(page, (b) => b && b.label);
    if (n < 10) await eventually(async () => (await asked()).has(id), { timeout: 5000 });
    else await sleep(1000); // time for an (unwanted) request
  }
  // The allowance is a sliding minute: on a machine so slow that the first request has left it,
  // the eleventh may rightly be admitted (the window itself is tested in retry.rs).
  if (Date.now() - started > 50000) t.diagnostic('slower than the pacing window: only the first ten are checked');
  else assert.deepEqual([...(await asked())].sort(), ids.slice(0, 10), 'the first ten only');
  for (const id of ids.slice(0, 10)) assert.ok((await asked()).has(id), `${id} asked`);
  // The side panel asks for the record the tab shows (the twelfth, reported by the content
  // script): it is paced with the tab, so it is not fetched either.
  if (Date.now() - started <= 50000) {
    const tabId = await browser.worker.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id, url(ids[11]));
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel/index.html`);
    const input = await panel.evaluate((id) => chrome.runtime.sendMessage({ type: 'getPanel', tabId: id, enriched: true }), tabId);
    await panel.close();
    assert.equal(input.deal?.error, 'busy', JSON.stringify(input.deal)); // paced: retry::ErrorKind's code
    assert.ok(!(await asked()).has(ids[11]), 'the panel did not fetch it');
  }
  // Back to one already asked: no new allowance needed (answered from the cache).
  await page.goto(url(ids[3]));
  await waitForBadge(page, (b) => b && b.label);
  // Another tab has its own allowance.
  const other = await browser.context.newPage();
  await other.goto(url(ids[11]));
  await eventually(async () => (await asked()).has(ids[11]), { timeout: 5000 });
  await Promise.all([page.close(), other.close()]);
});
