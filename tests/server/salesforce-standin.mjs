// Stand-in for Salesforce (and, for now, a catch-all for the Customer City hosts) over HTTPS on
// localhost. Chromium reaches it under real host names through --host-resolver-rules, so the
// real manifest's match patterns apply unchanged.
//
// Page routing: the first label of the host names the fixture, the path is the real record URL:
//   https://lightning-record-layout-en-us.lightning.force.com/lightning/r/Opportunity/<Id>/view
//   https://classic-en-us.my.salesforce.com/<Id>
// `?csp=strict|unsafe-eval|lightning|locked` adds a Content-Security-Policy header (`script-src 'self'`, or with
// 'unsafe-eval'). Every request is recorded, so tests can prove what the extension did not send.
//
// The pages look like Salesforce because they are styled by Salesforce's own stylesheet: the
// Lightning Design System (npm `@salesforce-ux/design-system`, installed from the lockfile) is
// served where an org serves it, `/_slds/styles/...` and the icon sprites under `/_slds/icons/`,
// and the Lightning fixtures link it as a real page does. Classic pages link a Classic-like
// stylesheet (`classic.css`, written here) at Classic's `/sCSS/<version>/sprites/<time>/Theme3/...`
// path. These page assets (`PAGE_ASSETS`) are the only requests a page makes besides itself.
//
// `startStandin({relativeDates: true})` (the demo) serves the en-US record pages with every
// M/D/YYYY date moved by the days from the fixtures' date to today, so the demo reads as of the
// day it runs; the tests keep the fixed dates (and run at the fixtures' date).
//
// Usage: node salesforce-standin.mjs [port]   (prints {"port":N,"spki":"..."} on its first line)
import { createServer } from 'node:https';
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures');
const slds = join(here, '..', '..', 'node_modules', '@salesforce-ux', 'design-system', 'assets');

/** The page assets the stand-in serves, by path: each the file a Lightning or Classic page links. */
export const PAGE_ASSETS = {
  '/_slds/styles/salesforce-lightning-design-system.min.css': join(slds, 'styles', 'salesforce-lightning-design-system.min.css'),
  '/_slds/icons/standard-sprite/svg/symbols.svg': join(slds, 'icons', 'standard-sprite', 'svg', 'symbols.svg'),
  '/_slds/icons/custom-sprite/svg/symbols.svg': join(slds, 'icons', 'custom-sprite', 'svg', 'symbols.svg'),
  '/_slds/icons/utility-sprite/svg/symbols.svg': join(slds, 'icons', 'utility-sprite', 'svg', 'symbols.svg'),
  '/_slds/images/logo-noname.svg': join(slds, 'images', 'logo-noname.svg'),
  '/sCSS/64.0/sprites/1763337600000/Theme3/default/gc/common.css': join(here, 'classic.css'),
};

/** Whether a request for `url` (a path or an absolute URL) is one of the pages' own assets. */
export const isPageAsset = (url) => Object.hasOwn(PAGE_ASSETS, new URL(url, 'https://x.invalid').pathname);

const CONTENT_TYPES = { '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

/** The date the fixtures were written for (`TODAY` in tests/fixtures/generate.py). */
const FIXTURE_TODAY = readFileSync(join(fixtures, 'generate.py'), 'utf8').match(/^TODAY = "(\d{4}-\d{2}-\d{2})"$/m)[1];

/** An en-US page with its M/D/YYYY dates moved from the fixtures' date to the local today. */
export function withRelativeDates(html, now = new Date()) {
  const [y, m, d] = FIXTURE_TODAY.split('-').map(Number);
  const days = Math.round((Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) - Date.UTC(y, m - 1, d)) / 86400000);
  return html.replace(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g, (match, month, day, year) => {
    const moved = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day) + days));
    const pad = month.startsWith('0') || day.startsWith('0') ? (n) => String(n).padStart(2, '0') : String;
    return `${pad(moved.getUTCMonth() + 1)}/${pad(moved.getUTCDate())}/${moved.getUTCFullYear()}`;
  });
}

/** A self-signed certificate for every host the tests use. */
export function makeCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'cc-cert-'));
  const names = [
    '*.force.com', '*.lightning.force.com', '*.sandbox.lightning.force.com', '*.develop.lightning.force.com',
    '*.salesforce.com', '*.my.salesforce.com', '*.sandbox.my.salesforce.com',
    'app.customercity.com', 'api.customercity.com', 'localhost',
  ];
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=cc-standin',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
  ], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'cert.pem'));
  const spki = createHash('sha256')
    .update(new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  return { key: readFileSync(join(dir, 'key.pem')), cert, spki };
}

const CSP = {
  strict: "script-src 'self'; object-src 'none'",
  'unsafe-eval': "script-src 'self' 'unsafe-eval'; object-src 'none'",
  // As Lightning Experience under Stricter CSP: no inline script, eval allowed (Lightning Web
  // Security needs it), everything else from the org's own origin.
  lightning: "default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
  // Eval (so WebAssembly) allowed, but no fetch from the page's world.
  'eval-no-fetch': "script-src 'self' 'unsafe-eval'; connect-src 'none'; object-src 'none'",
  // Nothing but the page's own scripts: no eval, no fetch, no WebAssembly.
  locked: "default-src 'none'; script-src 'self'; connect-src 'none'; style-src 'unsafe-inline'",
};

/** Starts the stand-in; resolves to {port, spki, requests, close()}. `port`: a number, or
 *  `{port, relativeDates}` (see above). */
export function startStandin(options = 0) {
  const { port = 0, relativeDates = false } = typeof options === 'number' ? { port: options } : options;
  const { key, cert, spki } = makeCertificate();
  const requests = [];
  const server = createServer({ key, cert }, (request, response) => {
    const host = (request.headers.host || '').split(':')[0];
    const url = new URL(request.url, `https://${host}`);
    requests.push({ method: request.method, host, path: url.pathname, url: `https://${host}${request.url}` });
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    const csp = CSP[url.searchParams.get('csp')];
    if (csp) headers['content-security-policy'] = csp;

    if (url.pathname === '/favicon.ico') {
      response.writeHead(404).end();
      return;
    }
    if (isPageAsset(url.pathname) && /(force|salesforce)\.com$/.test(host)) {
      const file = PAGE_ASSETS[url.pathname];
      if (!existsSync(file)) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`${file} is missing: bash tests/setup.sh installs it`);
        return;
      }
      // Cacheable, as Salesforce serves its static resources.
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)], 'cache-control': 'public, max-age=86400' })
        .end(readFileSync(file));
      return;
    }
    const slug = host.split('.')[0];
    const page = join(fixtures, slug, 'page.html');
    if (/^[a-z0-9-]+$/.test(slug) && existsSync(page)) {
      const html = readFileSync(page);
      const lang = /^<!DOCTYPE html><html lang="([^"]*)"/.exec(html.subarray(0, 64).toString());
      response.writeHead(200, headers)
        .end(relativeDates && lang && lang[1] === 'en-US' ? withRelativeDates(html.toString()) : html);
      return;
    }
    if (/(force|salesforce)\.com$/.test(host)) {
      // Any other Salesforce page: a list view or home page with no record on it.
      response.writeHead(200, headers).end(
        '<!doctype html><html lang="en-US"><head><title>Opportunities | Salesforce</title></head>' +
        '<body><div class="windowViewMode-maximized oneContent active lafPageHost"><h1>Recently Viewed</h1>' +
        '<table><tr><td><a href="/lightning/r/Opportunity/0065g00000AbCdEAAV/view">Acme</a></td><td>$1,000.00</td></tr></table>' +
        '</div></body></html>');
      return;
    }
    response.writeHead(404, { 'content-type': 'application/problem+json' })
      .end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }));
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        spki,
        requests,
        close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(done); }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const standin = await startStandin(Number(process.argv[2] || 0));
  console.log(JSON.stringify({ port: standin.port, spki: standin.spki }));
}
