// Writes dist/manifest.json from the template, with the API and web app origins chosen at
// build time: node write-manifest.mjs TEMPLATE OUT API_ORIGIN APP_ORIGIN
import { readFileSync, writeFileSync } from 'node:fs';

const [template, out, apiOrigin, appOrigin] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(template, 'utf8'));
const replace = (pattern) =>
  pattern
    .replace('https://api.customercity.com', apiOrigin)
    .replace('https://app.customercity.com', appOrigin);
manifest.host_permissions = manifest.host_permissions.map(replace);
// The web app hands the sign-in over (externally_connectable): every customercity.com web app
// (regional deployments, docs/admin.md), and the built one if it is elsewhere.
const connectable = manifest.externally_connectable.matches;
if (!new URL(appOrigin).hostname.endsWith('.customercity.com')) connectable.push(`${appOrigin}/*`);
writeFileSync(out, JSON.stringify(manifest, null, 2) + '\n');
