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
  # A Japanese font, so that the Japanese screenshots show glyphs, not boxes.
  [ -e /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf ] || missing+=(fonts-ipafont-gothic)
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
# It writes the shipped JavaScript glue, so its own dependencies are pinned too (--locked).
# wasm-bindgen-cli 0.2.130's published Cargo.lock names webpki-roots 1.0.11, which the registry
# does not have, so `cargo install --locked wasm-bindgen-cli` fails for it. Instead it is built
# from the published crate's source with tests/tools/wasm-bindgen-cli.Cargo.lock: that
# lockfile with this one entry at 1.0.10, every other version and checksum as released.
# A newer wasm-bindgen needs no such file when its own lockfile resolves (then delete it).
pinned_lock=tests/tools/wasm-bindgen-cli.Cargo.lock
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wanted"; then
  echo "setup: installing wasm-bindgen-cli $wanted (about 3 minutes)"
  if grep -A1 -x 'name = "wasm-bindgen-cli"' "$pinned_lock" | grep -qx "version = \"$wanted\""; then
    scratch=$(mktemp -d)
    # A throwaway package that depends on the crate, so that cargo fetches and checks it.
    mkdir -p "$scratch/fetch/src" && : > "$scratch/fetch/src/lib.rs"
    printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nwasm-bindgen-cli = "=%s"\n[workspace]\n' \
      "$wanted" > "$scratch/fetch/Cargo.toml"
    manifest=$(cargo metadata --quiet --format-version 1 --manifest-path "$scratch/fetch/Cargo.toml" \
      | python3 -c 'import json, sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "wasm-bindgen-cli"))')
    cp -r "$(dirname "$manifest")" "$scratch/cli"
    cp "$pinned_lock" "$scratch/cli/Cargo.lock"
    cargo install --quiet --locked --path "$scratch/cli"
    rm -rf "$scratch"
  else
    cargo install --quiet --locked wasm-bindgen-cli --version "$wanted"
  fi
fi

# The generators of the locale data and the currency-symbol table read CLDR through Babel,
# pinned: its version is the CLDR release (tests/tools/locale_data.py --check and
# currency_symbols.py --check run in the test command).
if [ "$what" = browser ] && ! python3 -c 'import babel, sys; sys.exit(babel.__version__ != "2.18.0")' 2>/dev/null; then
  echo "setup: installing Babel 2.18.0 (CLDR data for tests/tools/locale_data.py, currency_symbols.py)"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore babel==2.18.0
fi

if [ ! -x node_modules/.bin/esbuild ] || [ ! -x node_modules/binaryen/bin/wasm2js ] \
   || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/@salesforce-ux/design-system ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi
