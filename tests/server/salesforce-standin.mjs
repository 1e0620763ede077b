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
// Usage: node salesforce-standin.mjs [port]   (prints {"port":N,"spki":"..."} on its first line)
import { createServer } from 'node:https';
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures');

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
};

/** Starts the stand-in; resolves to {port, spki, requests, close()}. */
export function startStandin(port = 0) {
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
    const slug = host.split('.')[0];
    const page = join(fixtures, slug, 'page.html');
    if (/^[a-z0-9-]+$/.test(slug) && existsSync(page)) {
      response.writeHead(200, headers).end(readFileSync(page));
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
