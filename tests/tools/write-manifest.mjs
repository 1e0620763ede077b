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
if (manifest.externally_connectable) {
  manifest.externally_connectable.matches = manifest.externally_connectable.matches.map(replace);
}
writeFileSync(out, JSON.stringify(manifest, null, 2) + '\n');
