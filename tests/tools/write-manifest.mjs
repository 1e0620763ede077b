// Writes dist/manifest.json from the template, with the version and the origins chosen at build
// time: node write-manifest.mjs TEMPLATE OUT API_ORIGIN APP_ORIGIN
//        node write-manifest.mjs --version        prints the version
//
// The version lives in one place, `[workspace.package] version` in Cargo.toml (the crates, the
// manifest and the zip's name all take it from there); the template has none
// (tests/tools/store-check.py fails if it gets one back).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `[workspace.package] version` of the root Cargo.toml. */
export function version() {
  const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const section = cargo.split(/^\[/m).find((part) => part.startsWith('workspace.package]'));
  const found = section && section.match(/^version\s*=\s*"(\d+(?:\.\d+){0,3})"\s*$/m);
  if (!found) throw new Error('Cargo.toml: [workspace.package] has no version of 1 to 4 numbers (Chrome\'s form)');
  return found[1];
}

if (process.argv[2] === '--version') {
  console.log(version());
} else if (process.argv.length === 6) {
  const [template, out, apiOrigin, appOrigin] = process.argv.slice(2);
  const manifest = JSON.parse(readFileSync(template, 'utf8'));
  if ('version' in manifest) throw new Error(`${template}: the version comes from Cargo.toml; remove it here`);
  const replace = (pattern) => pattern.replace('https://api.customercity.com', apiOrigin);
  manifest.host_permissions = manifest.host_permissions.map(replace);
  // The web app hands the sign-in over (externally_connectable): every customercity.com web
  // app (regional deployments, docs/admin.md), and the built one if it is elsewhere.
  const connectable = manifest.externally_connectable.matches;
  if (!new URL(appOrigin).hostname.endsWith('.customercity.com')) connectable.push(`${appOrigin}/*`);
  // The version first after the name, where Chrome's own examples put it.
  const { manifest_version: manifestVersion, name, short_name: shortName, ...rest } = manifest;
  const written = { manifest_version: manifestVersion, name, short_name: shortName, version: version(), ...rest };
  writeFileSync(out, JSON.stringify(written, null, 2) + '\n');
} else {
  console.error('usage: write-manifest.mjs TEMPLATE OUT API_ORIGIN APP_ORIGIN | --version');
  process.exit(2);
}
