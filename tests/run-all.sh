#!/usr/bin/env bash
# Every test, in the order a failure is cheapest to find. The README's test command; .ci/run
# calls it. Installs what it needs when missing (tests/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# No incremental compilation caches (about 0.65 GB in a fresh clone's target/): each build here
# runs once.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

# Each step names the disk space left where cargo writes (a full disk fails a link obscurely).
disk_free() { { df -h --output=avail "${CARGO_TARGET_DIR:-.}" 2>/dev/null || df -h --output=avail .; } | tail -1 | tr -d ' '; }
step() { printf '\n=== %s (%s free)\n' "$*" "$(disk_free)"; }
# On a machine short of disk (under 8 GiB free), a step's build output that no later step uses
# is removed after it (the fuzz targets' and the benchmarks' builds, about 0.5 GiB each).
low_disk() {
  local kib
  kib=$({ df -k --output=avail "${CARGO_TARGET_DIR:-.}" 2>/dev/null || df -k --output=avail .; } | tail -1 | tr -d ' ')
  [ "${kib:-0}" -lt $((8 * 1024 * 1024)) ]
}

step "setup (installs only what is missing)"
bash tests/setup.sh browser

step "format"
cargo fmt --all -- --check

step "fixture corpus and locales match their generators; the store package matches the manifest"
python3 tests/fixtures/generate.py --check
python3 tests/tools/locales.py --check
python3 tests/tools/currency_symbols.py --check
python3 tests/tools/locale_data.py --check
python3 tests/tools/store-check.py   # manifest permissions = store/permissions.md, listings, one version

step "clippy, host and wasm32 (warnings are errors)"
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked -p deal-health-content --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy --locked -p deal-health --target wasm32-unknown-unknown --no-default-features --features live --all-targets -- -D warnings
cargo clippy --locked -p deal-health-worker --target wasm32-unknown-unknown --all-targets -- -D warnings

step "rustdoc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps --workspace --exclude cc-reference-server --quiet

step "native tests: units, fixtures (parsed DOM), properties, CLI, architecture"
cargo test --locked

step "fuzz smoke: every cargo-fuzz target for 15 s (the long form: bash tests/fuzz/run.sh)"
bash tests/fuzz/run.sh 15
if low_disk && [ -z "${CARGO_TARGET_DIR:-}" ]; then
  echo "low on disk: removing the fuzz targets' build (extension-core/fuzz/target)"
  rm -rf extension-core/fuzz/target
fi

step "browser tests: fixtures through the live DOM backend in headless Chromium"
cargo test --locked -p deal-health --target wasm32-unknown-unknown --no-default-features --features live

step "benchmarks build"
cargo bench --locked --no-run --benches --quiet   # the bench targets only, not every test again
if low_disk; then
  echo "low on disk: removing the benchmarks' build"
  cargo clean --locked --quiet --profile bench
fi

step "extension code renders page data as text: no HTML-from-string, no eval"
if grep -nE '\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(' \
    content/*.js background/*.js sidepanel/*.js; then
  echo "found HTML-from-string or eval in extension code" >&2
  exit 1
fi

step "build the extension (dist/ and the zip)"
./build.sh

step "reproducible build: a second build (core compiled again) gives a byte-identical zip"
bash tests/tools/reproducible-build.sh dist

step "end-to-end in Chromium with the real manifest and service worker (clock at the fixtures' date)"
cargo build --locked --quiet -p cc-reference-server -p cc-health
mkdir -p tests/e2e/output
bash tests/tools/fixed-clock.sh node --test --test-concurrency=1 --test-reporter=spec tests/e2e/

printf '\nAll tests passed.\n'
