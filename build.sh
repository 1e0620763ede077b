#!/usr/bin/env bash
# The one build recipe: dist/ (load it unpacked) and dist/../customer-city-deal-health-<version>.zip.
#
#   ./build.sh                       production origins
#   CC_API_ORIGIN=https://api.example.test CC_APP_ORIGIN=https://app.example.test ./build.sh
#   CC_OUT=/tmp/other/dist CARGO_TARGET_DIR=/tmp/other/target ./build.sh
#                                    another output folder (its zip lands beside it) and cargo
#                                    target, so that two builds can run at once
#
# Installs what it needs when missing (the wasm32 target, the pinned wasm-bindgen-cli, the
# npm build tools from the lockfile). See ARCHITECTURE.md, "Why the content script runs no
# WebAssembly", for the two outputs built from one core.
set -euo pipefail
cd "$(dirname "$0")"

API_ORIGIN="${CC_API_ORIGIN:-https://api.customercity.com}"
APP_ORIGIN="${CC_APP_ORIGIN:-https://app.customercity.com}"
for origin in "$API_ORIGIN" "$APP_ORIGIN"; do
  if [[ ! "$origin" =~ ^https://[a-z0-9.-]+(:[0-9]+)?$ ]]; then
    echo "build.sh: origin '$origin' must be https://host[:port] (all API traffic is HTTPS)" >&2
    exit 2
  fi
done

bash tests/setup.sh build

VERSION=$(node tests/tools/write-manifest.mjs --version) # Cargo.toml, the one place
OUT="${CC_OUT:-dist}"
TARGET="${CARGO_TARGET_DIR:-target}"
WORK="$TARGET/extension-build"
rm -rf "$OUT" "$WORK"
mkdir -p "$OUT" "$WORK"

echo "== core → wasm32 (size-optimised)"
# wasm2js understands neither reference types nor multi-value: build the module without them.
# The stack is 256 KB, not rustc's 1 MB: the linear memory starts with it, and in the content
# script (wasm2js) that memory is an ArrayBuffer in every Salesforce tab. The deepest recursion
# (reading text, capped at 256 levels) runs in 16 KB (hostile.test.mjs, "nested thousands of
# elements deep"); wasm2js does not trap on overflow, so the margin stays wide.
# Two wasm modules: the content script's (the `deal-health-content` crate over the Tier 1 core:
# page recognition, extraction, score, badge) and the worker's (`deal-health-worker` over the
# Tier 2 decisions: the client, message routing, the side panel's view).
# Panic locations name dependencies' source files under cargo's home: remap it, so that the
# module names no path of this machine and is the same wherever it is built.
CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"
build_wasm() { # package, its wasm file's name, features ("" for none), output file
  RUSTFLAGS="-C target-feature=-reference-types,-multivalue -C link-arg=-zstack-size=262144 --remap-path-prefix=$CARGO_HOME_DIR=/cargo" \
    cargo build --locked --quiet -p "$1" --target wasm32-unknown-unknown --profile wasm-release \
    --no-default-features ${3:+--features "$3"}
  cp "$TARGET/wasm32-unknown-unknown/wasm-release/$2.wasm" "$4"
}
CONTENT_WASM="$WORK/content.wasm"
WORKER_WASM="$WORK/worker.wasm"
build_wasm deal-health-content deal_health_content "" "$CONTENT_WASM"
build_wasm deal-health-worker deal_health_worker "" "$WORKER_WASM"

WASM_OPT=node_modules/binaryen/bin/wasm-opt
# The features rustc emits for wasm32 by default (std is prebuilt with them). Name them one by
# one: --all-features produces a module that fails to instantiate.
WASM_FEATURES=(--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals)
WASM2JS=node_modules/binaryen/bin/wasm2js
ESBUILD=node_modules/.bin/esbuild

echo "== service worker module: real WebAssembly (the extension's own CSP allows it)"
wasm-bindgen --target web --no-typescript --out-dir "$WORK/web" --out-name core "$WORKER_WASM"
# Debian's binaryen breaks modules; the npm build is known good. Never pass --all-features.
"$WASM_OPT" "${WASM_FEATURES[@]}" -Oz "$WORK/web/core_bg.wasm" -o "$WORK/web/core_bg.wasm"
mkdir -p "$OUT/background/pkg"
cp "$WORK/web/core.js" "$WORK/web/core_bg.wasm" "$OUT/background/pkg/"

echo "== content script: the core as real WebAssembly, where the page's CSP allows it"
# The `web` build with its own glue, loaded by content/main.js with import() and compiled from
# a streamed fetch (off the main thread). Web-accessible under a per-session URL only.
wasm-bindgen --target web --no-typescript --out-dir "$WORK/content-web" --out-name core "$CONTENT_WASM"
mkdir -p "$OUT/content"
"$WASM_OPT" "${WASM_FEATURES[@]}" -Oz "$WORK/content-web/core_bg.wasm" -o "$OUT/content/core.wasm"
# V8's explicit compile hint (Chrome 136+): the first line `//# allFunctionsCalledOnLoad` has
# every function of the file compiled eagerly, off the main thread as the file streams in. The
# content script and the core's glue call nearly all of theirs on the first evaluation; lazily
# compiled, that was about 7 ms of the page's main thread per record page opened.
COMPILE_HINT='--banner:js=//# allFunctionsCalledOnLoad'
"$ESBUILD" "$WORK/content-web/core.js" --bundle --format=esm --minify --legal-comments=none \
  --target=chrome120 --log-level=warning "$COMPILE_HINT" --outfile="$OUT/content/core-wasm.mjs"

echo "== content script: the same core as plain JavaScript (wasm2js), where WebAssembly is refused"
wasm-bindgen --target bundler --no-typescript --out-dir "$WORK/bundler" --out-name core "$CONTENT_WASM"
# Lower what JavaScript has no direct form for, then translate.
"$WASM_OPT" "${WASM_FEATURES[@]}" --llvm-memory-copy-fill-lowering --llvm-nontrapping-fptoint-lowering \
  -Oz "$WORK/bundler/core_bg.wasm" -o "$WORK/bundler/core_bg.opt.wasm"
"$WASM2JS" --enable-sign-ext --enable-mutable-globals -Oz "$WORK/bundler/core_bg.opt.wasm" -o "$WORK/bundler/core_bg.wasm.js"
# wasm-bindgen's glue refreshes its cached views of memory only when the old buffer is detached,
# which real WebAssembly does on memory.grow and wasm2js does not (it swaps in a new
# ArrayBuffer). Without this, the first memory growth (large pages) makes the glue read and
# write a stale buffer. Compare buffer identity instead, and refuse glue of another shape.
sed -i -E \
  -e 's/(cached[A-Za-z0-9]+Memory0) === null \|\| \1\.byteLength === 0/\1 === null || \1.buffer !== wasm.memory.buffer/' \
  -e 's/(cachedDataViewMemory0) === null \|\| \1\.buffer\.detached === true \|\| \(\1\.buffer\.detached === undefined && \1\.buffer !== wasm\.memory\.buffer\)/\1 === null || \1.buffer !== wasm.memory.buffer/' \
  "$WORK/bundler/core_bg.js"
if grep -qE 'Memory0\.byteLength === 0|buffer\.detached' "$WORK/bundler/core_bg.js"; then
  echo "build.sh: wasm-bindgen glue has a memory-view check this build does not know; see build.sh" >&2
  exit 1
fi
# The glue imports the module as './core_bg.wasm'; point it at the JavaScript translation.
sed -i 's#"\./core_bg\.wasm"#"./core_bg.wasm.js"#; s#'"'"'\./core_bg\.wasm'"'"'#'"'"'./core_bg.wasm.js'"'"'#' "$WORK/bundler/core.js"
# One ES module, loaded by content/main.js with import() only on a page whose URL may name an
# Opportunity record and whose CSP refuses WebAssembly (web-accessible under a per-session URL
# only: use_dynamic_url). On every other Salesforce page nothing of the core is fetched or
# compiled.
"$ESBUILD" "$WORK/bundler/core.js" --bundle --format=esm --minify --legal-comments=none \
  --target=chrome120 --log-level=warning --outfile="$OUT/content/core.mjs"
echo "== static files"
# The gate runs on every Salesforce page; it imports main.js (one module with i18n.js, which it
# imports: a module loaded from a per-session URL cannot import its neighbours by name).
cp content/gate.js "$OUT/content/"
"$ESBUILD" content/main.js --bundle --format=esm --target=chrome120 --log-level=warning \
  "$COMPILE_HINT" --outfile="$OUT/content/main.js"
# The worker's modules, as written (the entry, worker.js, imports the others; browser.js is
# the only one that calls the browser).
cp background/*.js "$OUT/background/"
cat > "$OUT/background/config.js" <<EOF
// Written by build.sh: the origins chosen at build time.
export const API_ORIGIN = '$API_ORIGIN';
export const APP_ORIGIN = '$APP_ORIGIN';
EOF
cp -r sidepanel "$OUT/sidepanel"
cp -r icons "$OUT/icons"
cp managed_schema.json "$OUT/"
[ -d _locales ] && cp -r _locales "$OUT/_locales"
node tests/tools/write-manifest.mjs manifest.json "$OUT/manifest.json" "$API_ORIGIN" "$APP_ORIGIN"

ZIP="$(realpath -m "$(dirname "$OUT")/customer-city-deal-health-$VERSION.zip")"
rm -f "$ZIP"
# Reproducible: two builds of one commit give the same bytes (tests/run-all.sh checks it).
# Entries in sorted path order, every timestamp SOURCE_DATE_EPOCH (default 1980-01-01, the
# earliest a zip can say), mode 0644, no directory entries, deflate level 9.
python3 - "$OUT" "$ZIP" "${SOURCE_DATE_EPOCH:-315532800}" <<'PY'
import os, sys, time, zipfile
out, zip_path, epoch = sys.argv[1], sys.argv[2], int(sys.argv[3])
stamp = time.gmtime(max(epoch, 315532800))[:6]
paths = sorted(
    os.path.relpath(os.path.join(root, name), out).replace(os.sep, '/')
    for root, _, files in os.walk(out) for name in files)
with zipfile.ZipFile(zip_path, 'w') as archive:
    for path in paths:
        entry = zipfile.ZipInfo(path, date_time=stamp)
        entry.create_system = 3  # Unix, so that the mode below is read
        entry.external_attr = 0o100644 << 16
        entry.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(out, path), 'rb') as source:
            archive.writestr(entry, source.read(), compresslevel=9)
PY

echo "== artefacts (bytes: raw, gzip -9)"
find "$OUT" -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.wasm' -o -name '*.json' -o -name '*.html' -o -name '*.css' \) | sort | while read -r file; do
  printf '%10d %10d  %s\n' "$(stat -c %s "$file")" "$(gzip -9 -c "$file" | wc -c)" "$file"
done
printf '%10d %10s  %s\n' "$(stat -c %s "$ZIP")" "-" "$ZIP"
echo "API origin: $API_ORIGIN   web app origin: $APP_ORIGIN"
