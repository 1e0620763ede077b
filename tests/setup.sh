#!/usr/bin/env bash
# Installs what the build, the tests and the demo need, only when missing. Idempotent.
#   tests/setup.sh build     Rust wasm target, pinned wasm-bindgen-cli, npm tools
#   tests/setup.sh browser   the above plus Debian's chromium, chromium-driver and faketime
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-browser}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ "$what" = browser ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  # The browser tests and the demo run at the fixtures' date (tests/tools/fixed-clock.sh).
  command -v faketime >/dev/null 2>&1 || missing+=(faketime)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]} (apt)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wanted"; then
  echo "setup: installing wasm-bindgen-cli $wanted (about 3 minutes)"
  # --locked fails for this crate (its lockfile wants a webpki-roots the registry lacks).
  cargo install --quiet wasm-bindgen-cli --version "$wanted"
fi

if [ ! -x node_modules/.bin/esbuild ] || [ ! -x node_modules/binaryen/bin/wasm2js ] \
   || [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi
