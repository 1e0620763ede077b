#!/usr/bin/env bash
# Builds the extension a second time into another folder and compares the store zip with the
# first build's, byte for byte: two builds of one commit must give the same zip. On a
# difference it names the files (and zip entries) that differ, and fails.
#
#   bash tests/tools/reproducible-build.sh [FIRST_DIST]     FIRST_DIST: dist by default
#
# FIRST_DIST is a finished build.sh output folder (its zip beside it). The second build shares
# the cargo target directory (warm: cargo's own output is reused) but first removes the
# extension core's compiled artefacts, so rustc compiles and links the core again; every later
# step (wasm-bindgen, wasm-opt, wasm2js, esbuild, the zip) runs again in full.
set -euo pipefail
cd "$(dirname "$0")/../.."
first_dist="${1:-dist}"
target="${CARGO_TARGET_DIR:-target}"
second_dist="$target/reproducible/dist"
version=$(node tests/tools/write-manifest.mjs --version)
zip_name="customer-city-deal-health-$version.zip"
first_zip="$(dirname "$first_dist")/$zip_name"
second_zip="$(dirname "$second_dist")/$zip_name"
[ -f "$first_zip" ] || { echo "reproducible: no first build at $first_zip" >&2; exit 2; }

cargo clean --quiet --locked -p deal-health -p deal-health-client -p deal-health-content -p deal-health-worker --target wasm32-unknown-unknown --profile wasm-release
CC_OUT="$second_dist" ./build.sh >"$target/reproducible.log" 2>&1 \
  || { cat "$target/reproducible.log" >&2; echo "reproducible: the second build failed" >&2; exit 1; }

if cmp -s "$first_zip" "$second_zip"; then
  echo "reproducible: $first_zip and $second_zip are byte-identical"
  sha256sum "$first_zip" "$second_zip"
  exit 0
fi
echo "reproducible: $first_zip and $second_zip differ" >&2
diff -rq "$first_dist" "$second_dist" >&2 || true
python3 - "$first_zip" "$second_zip" >&2 <<'PY'
import sys, zipfile
def entries(path):
    with zipfile.ZipFile(path) as archive:
        return [(i.filename, i.date_time, i.external_attr, i.compress_type, i.CRC, i.compress_size)
                for i in archive.infolist()]
first, second = entries(sys.argv[1]), entries(sys.argv[2])
if [e[0] for e in first] != [e[0] for e in second]:
    print("zip entries differ in names or order")
for a, b in zip(first, second):
    if a != b:
        print(f"zip entry {a[0]}: {a[1:]} vs {b[1:]}")
PY
exit 1
