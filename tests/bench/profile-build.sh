#!/usr/bin/env bash
# A copy of dist/ whose content-script core keeps its function names, for CPU profiles that
# name Rust functions (list-updates.mjs --profile=core, DevTools). Not the shipped build:
# reference types and multi-value stay on (wasm-bindgen refuses a module that keeps its
# symbols without them: "failed to find `__wbindgen_externref_table_dealloc`"), names are kept
# by `wasm-opt -g`, and the glue is not minified. Build dist/ first (./build.sh).
#
#   bash tests/bench/profile-build.sh [OUT=/tmp/cc-profile/dist]
#   CC_DIST=/tmp/cc-profile/dist bash tests/tools/fixed-clock.sh node tests/bench/list-updates.mjs --profile=core
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-/tmp/cc-profile/dist}"
TARGET="${CC_PROFILE_TARGET:-/tmp/cc-profile/target}"
WORK="$(dirname "$OUT")/bindgen"
[ -f dist/manifest.json ] || { echo "no dist/: run ./build.sh first" >&2; exit 1; }
RUSTFLAGS="-C link-arg=-zstack-size=262144" CARGO_PROFILE_WASM_RELEASE_STRIP=none CARGO_TARGET_DIR="$TARGET" \
  cargo build --locked --quiet -p deal-health-content --target wasm32-unknown-unknown --profile wasm-release --no-default-features
rm -rf "$OUT" "$WORK"
mkdir -p "$(dirname "$OUT")"
wasm-bindgen --target web --no-typescript --out-dir "$WORK" --out-name core \
  "$TARGET/wasm32-unknown-unknown/wasm-release/deal_health_content.wasm"
cp -r dist "$OUT"
node_modules/binaryen/bin/wasm-opt --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue -g -O2 \
  "$WORK/core_bg.wasm" -o "$OUT/content/core.wasm"
node_modules/.bin/esbuild "$WORK/core.js" --bundle --format=esm --legal-comments=none --target=chrome120 \
  --log-level=warning --outfile="$OUT/content/core-wasm.mjs"
echo "profiling build: $OUT"
