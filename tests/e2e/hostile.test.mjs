// Hostile pages, signed out (Tier 1): page scripts that clobber globals, forge events and
// messages, plant another opportunity's fields; 50,000-node pages, a 200 KB field value, RTL,
// emoji and zero-width text. Each page is a real fixture rewritten on its way to the browser
// (Playwright's route). Expected: the same deal's score as on the clean page, one badge, no
// crash, bounded time, nothing sent anywhere.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';

import { startStandin } from '../server/salesforce-standin.mjs';
import { launch, readBadge, waitForBadge } from './browser.mjs';

let standin;
let browser;
let clean; // the badge on the unmodified page

const URL_ = 'https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view';

before(async () => {
  standin = await startStandin();
  browser = await launch({ port: standin.port });
  const page = await browser.context.newPage();
  await page.goto(URL_);
  clean = (await waitForBadge(page, (b) => b && b.label)).badge;
  await page.close();
});

after(async () => {
  await browser?.context.close().catch(() => {});
  await standin?.close();
});

/** The stand-in's page for `url` (asked directly: Playwright's own fetch does not use the
 *  browser's host mapping). */
function fetchFromStandin(url) {
  const { hostname, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', port: standin.port, path: pathname, servername: hostname, rejectUnauthorized: false, headers: { host: hostname } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** Opens the fixture with its HTML rewritten by `rewrite(html)`. */
async function openRewritten(rewrite) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  const original = await fetchFromStandin(URL_);
  const body = rewrite(original);
  assert.notEqual(body, original, 'the page was rewritten');
  await page.route(URL_, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }));
  await page.goto(URL_);
  return { page, errors };
}

const atBodyStart = (html, inject) => html.replace(/<body([^>]*)>/, `<body$1>${inject}`);
const atBodyEnd = (html, inject) => html.replace('</body>', `${inject}</body>`);
const settle = (page) => page.waitForTimeout(600); // past the content script's debounce

test('globals clobbered by the page (id="chrome", named forms, patched prototypes) change nothing', async () => {
  const { page } = await openRewritten((html) => atBodyStart(html, `
    <div id="chrome"></div><form name="chrome"><input name="runtime"></form><div id="browser"></div>
    <img name="CustomerCityText"><a id="CustomerCityText"></a><div id="navigation"></div><embed name="i18n">
    <script>
      Element.prototype.attachShadow = function () { throw new Error('no shadow for you'); };
      Node.prototype.appendChild = function () { throw new Error('no children'); };
      JSON.parse = () => ({ hijacked: true });
      Array.prototype.map = function () { return ['hijacked']; };
      window.requestAnimationFrame = null;
      window.MutationObserver = function () {};
      String.prototype.trim = function () { return 'hijacked'; };
      Object.defineProperty(Object.prototype, 'recordId', { get() { return '0065g00000ZzZzZAAV'; }, configurable: true });
    </script>`));
  const { badge } = await waitForBadge(page, (b) => b && b.label);
  assert.equal(badge.label, clean.label, 'the same deal, the same score');
  assert.equal(badge.text, clean.text);
  await page.close();
});

test('forged events and messages from the page are ignored', async () => {
  const { page } = await openRewritten((html) => atBodyEnd(html, '<!-- a page that talks to the extension -->'));
  await waitForBadge(page, (b) => b && b.label);
  const before = standin.requests.length;
  await page.evaluate(async () => {
    const host = document.querySelector('cc-deal-health');
    for (let i = 0; i < 200; i += 1) {
      window.postMessage({ type: 'getAnalysis', recordId: '0065g00000ZzZzZAAV' }, '*');
      window.postMessage({ type: 'openSidePanel', recordId: '0065g00000ZzZzZAAV' }, '*');
      dispatchEvent(new PopStateEvent('popstate'));
      host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      document.dispatchEvent(new CustomEvent('cc-evaluate', { detail: { recordId: '0065g00000ZzZzZAAV' } }));
    }
    host.setAttribute('style', 'display:none');
    host.setAttribute('aria-label', 'forged');
    await new Promise((r) => setTimeout(r, 50));
  });
  await settle(page);
  const badge = await readBadge(page);
  assert.equal(badge.label, clean.label, 'still this deal, still its score');
  assert.equal(standin.requests.length, before, 'nothing was requested');
  await page.close();
});

test('another opportunity\'s fields planted in a related list are not read as this deal\'s', async () => {
  const foreign = `
    <lst-related-list-single-container><article class="slds-card">
      <a href="/lightning/r/Opportunity/0065g00000ZzZzZAAV/view">Other deal</a>
      ${[['Amount', '$1.00'], ['Stage', 'Closed Lost'], ['Close Date', '1/1/2020'], ['Probability (%)', '0%'], ['Next Step', '']]
    .map(([label, value]) => `<records-record-layout-item field-label="${label}" class="slds-form__item"><div class="slds-form-element"><div class="slds-form-element__label"><span class="test-id__field-label">${label}</span></div><div class="slds-form-element__control"><span class="test-id__field-value"><lightning-formatted-text>${value}</lightning-formatted-text></span></div></div></records-record-layout-item>`).join('')}
    </article></lst-related-list-single-container>`;
  const { page } = await openRewritten((html) => atBodyEnd(html, foreign));
  const { badge } = await waitForBadge(page, (b) => b && b.label);
  assert.equal(badge.label, clean.label, 'planted at load');
  // Planted later, as a related list that renders after the record.
  await page.evaluate((markup) => document.querySelector('.lafPageHost.active').insertAdjacentHTML('beforeend', markup), foreign);
  await settle(page);
  assert.equal((await readBadge(page)).label, clean.label, 'planted after the badge');
  await page.close();
});

test('a page of 50,000 more nodes gets the same badge in bounded time', async () => {
  const rows = Array.from({ length: 7000 }, (_, i) => `<tr><td><a href="/lightning/r/Opportunity/0065g00000Zz${String(i).padStart(3, '0').slice(-3)}AAV/view">Deal ${i}</a></td><td><lightning-formatted-number>$${i},000.00</lightning-formatted-number></td><td>Prospecting</td><td><span>Amount</span></td></tr>`).join('');
  const started = Date.now();
  const { page } = await openRewritten((html) => atBodyEnd(html, `<lst-related-list-single-container><table>${rows}</table></lst-related-list-single-container>`));
  const count = await page.evaluate(() => document.getElementsByTagName('*').length);
  assert.ok(count > 50000, `${count} elements`);
  const { badge } = await waitForBadge(page, (b) => b && b.label, { timeout: 15000 });
  assert.equal(badge.label, clean.label);
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 15000, `badge within 15 s of navigation (${elapsed} ms)`);
  await page.close();
});

test('a 200 KB field value: no crash, the badge stays small', async () => {
  const huge = 'Call the CFO. '.repeat(15000); // about 210 KB
  const { page, errors } = await openRewritten((html) => html
    .replace(/(field-label="Next Step"[\s\S]*?<lightning-formatted-text[^>]*>)[^<]*/, `$1${huge}`)
    .replace(/(field-label="Opportunity Name"[\s\S]*?<lightning-formatted-text[^>]*>)[^<]*/, `$1${huge}`));
  const { badge } = await waitForBadge(page, (b) => b && b.label, { timeout: 10000 });
  assert.ok(await page.evaluate(() => document.body.textContent.length > 400000), 'both values are on the page');
  assert.ok(badge.label.length < 300, `a short accessible name (${badge.label.length})`);
  assert.ok(badge.text.length < 2000, `a short card (${badge.text.length})`);
  assert.ok(badge.rect.w < 400 && badge.rect.h < 100, `a small badge (${JSON.stringify(badge.rect)})`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a field value nested thousands of elements deep: the core does not run out of stack', async () => {
  // Chromium's parser stops nesting at 512 levels; the core reads text to 256 and stops.
  const deep = `${'<span>'.repeat(3000)}Call the CFO${'</span>'.repeat(3000)}`;
  const { page, errors } = await openRewritten((html) => html
    .replace(/(field-label="Next Step"[\s\S]*?<lightning-formatted-text[^>]*>)[^<]*/, `$1${deep}`));
  const warnings = [];
  page.on('console', (message) => { if (message.text().includes('could not evaluate')) warnings.push(message.text()); });
  // (Read without waitForBadge: DevTools' protocol refuses a document this deep.)
  await page.waitForFunction(() => document.querySelector('cc-deal-health'), null, { timeout: 10000 });
  const depth = await page.evaluate(() => {
    let deepest = 0;
    for (const span of document.querySelectorAll('span')) {
      if (span.childElementCount) continue;
      let n = 0;
      for (let node = span; node; node = node.parentElement) n += 1;
      deepest = Math.max(deepest, n);
    }
    return deepest;
  });
  assert.ok(depth > 300, `nested ${depth} deep`);
  await settle(page);
  assert.deepEqual(warnings, [], 'every evaluation succeeded');
  assert.ok(await page.evaluate(() => document.querySelector('cc-deal-health')), 'the badge stays');
  assert.deepEqual(errors, []);
  await page.close();
});

test('RTL, emoji and zero-width text: the same reading as the plain page', async () => {
  const { page } = await openRewritten((html) => html
    .replace('$5,000,000.00', '$\u200b5,000,000.00\u200f')
    .replace(/(field-label="Opportunity Name"[\s\S]*?<lightning-formatted-text[^>]*>)([^<]*)/, '$1\u202e\u05e2\u05e1\u05e7\u05d4 🚀 $2\u202c\u200d')
    .replace(/(field-label="Stage"[\s\S]*?<lightning-formatted-text[^>]*>)([^<]*)/, (m, open, stage) => `${open}\u2067${stage.split('').join('\u200b')}\u2069`));
  const { badge } = await waitForBadge(page, (b) => b && b.label);
  assert.equal(badge.label, clean.label, 'zero-width and direction marks carry nothing');
  assert.doesNotMatch(badge.text, /[\u202a-\u202e\u2066-\u2069]/, 'no direction override reaches the badge');
  await page.close();
});

// Issue 15: a page recovered the score through `window.find` (the match, inside the closed
// root, is selected and `getSelection().toString()` returns it although `shadowRoot` is null).
// The badge now shows every string as CSS generated content, which no find, selection or
// innerText reaches; its button keeps the accessible name and describes the card.
test('the page finds nothing of the badge: window.find, select-all, selection and innerText', async () => {
  const page = await browser.context.newPage();
  await page.goto(URL_);
  const { badge } = await waitForBadge(page, (b) => b && b.label && b.rect.visible === 'visible');
  // Assistive technology gets the badge's name and, with the card closed, the card's text.
  const cdp = await browser.context.newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  const buttons = nodes.filter((node) => node.role?.value === 'button' && node.name?.value === badge.label);
  assert.equal(buttons.length, 1, `one button named "${badge.label}"`);
  const description = buttons[0].description?.value ?? '';
  for (const piece of badge.pieces.slice(1)) assert.ok(description.includes(piece), `"${piece}" in the description "${description}"`);
  // Hovered, so that the card (summary, reasons) is rendered too.
  await page.mouse.move(badge.rect.x + badge.rect.w / 2, badge.rect.y + badge.rect.h / 2);
  await page.waitForTimeout(100);
  const score = badge.text.split(' ')[0];
  assert.match(score, /^\d{1,3}$/, `the badge shows a score (${badge.text})`);
  const probes = [...new Set([score, badge.label, ...badge.pieces])];
  const seen = await page.evaluate((strings) => {
    // The page's own text (open shadow roots included): a probe it contains proves nothing.
    const own = [];
    const collect = (root) => {
      for (const node of root.querySelectorAll('*')) if (node.shadowRoot) collect(node.shadowRoot);
      own.push(root.textContent);
    };
    collect(document);
    const pageText = own.join('\n');
    const selection = getSelection();
    const leaks = [];
    const probed = [];
    for (const probe of strings) {
      if (pageText.includes(probe)) continue;
      probed.push(probe);
      selection.removeAllRanges();
      if (window.find(probe, false, false, true)) leaks.push(`window.find("${probe}") → "${selection.toString()}"`);
    }
    selection.removeAllRanges();
    selection.selectAllChildren(document.body);
    const selected = selection.toString();
    selection.removeAllRanges();
    document.execCommand('selectAll');
    const selectAll = selection.toString();
    selection.removeAllRanges();
    const readings = { 'selectAllChildren(body)': selected, 'select all': selectAll,
      'body.innerText': document.body.innerText, 'documentElement.innerText': document.documentElement.innerText };
    for (const [how, text] of Object.entries(readings)) {
      for (const probe of probed) if (text.includes(probe)) leaks.push(`${how} holds "${probe}"`);
    }
    return { leaks, probed, shadowRoot: document.querySelector('cc-deal-health').shadowRoot };
  }, probes);
  assert.ok(seen.probed.includes(score), `the score "${score}" is not page text, so it was probed`);
  assert.ok(seen.probed.length >= 4, `score, name, summary and card probed: ${JSON.stringify(seen.probed)}`);
  assert.deepEqual(seen.leaks, [], 'the page read the badge');
  assert.equal(seen.shadowRoot, null);
  // What the user sees is each piece, drawn as generated content (read where page scripts cannot
  // interfere: a world of the test's own, on the closed root found through CDP).
  const probe = await browser.context.newCDPSession(page);
  const { root } = await probe.send('DOM.getDocument', { depth: -1, pierce: true });
  const hostNode = (function find(node) {
    if (node.nodeName === 'CC-DEAL-HEALTH') return node;
    for (const child of [...(node.children || []), ...(node.shadowRoots || [])]) {
      const found = find(child);
      if (found) return found;
    }
    return null;
  })(root);
  const { frameTree } = await probe.send('Page.getFrameTree');
  const { executionContextId } = await probe.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'cc-hostile-test' });
  const { object } = await probe.send('DOM.resolveNode', { backendNodeId: hostNode.shadowRoots[0].backendNodeId, executionContextId });
  const { result } = await probe.send('Runtime.callFunctionOn', {
    objectId: object.objectId,
    functionDeclaration: `function () {
      return [...this.querySelectorAll('*')].filter((element) => element.nodeName !== 'STYLE').map((element) => ({
        textNodes: [...element.childNodes].filter((node) => node.nodeType === 3 && node.nodeValue.trim()).length,
        drawn: getComputedStyle(element, '::before').content,
        attribute: element.getAttribute('data-t'),
      }));
    }`,
    returnByValue: true,
  });
  await probe.detach();
  const elements = result.value.filter((element) => element.attribute !== null);
  assert.deepEqual(elements.map((element) => element.attribute.trim()).filter(Boolean), badge.pieces, 'every piece is an attribute');
  for (const element of elements) assert.equal(element.drawn, JSON.stringify(element.attribute), 'drawn as generated content');
  assert.equal(result.value.filter((element) => element.textNodes && element.attribute === null).length, 0, 'no text node in the badge');
  await page.close();
});
