#!/usr/bin/env bash
# The proof that no test depends on the wall clock: the native tests and the end-to-end tests
# run with the system date moved (default: 400 days ahead, then 400 days back). The browser
# tests set their own clock to the fixtures' date (tests/tools/fixed-clock.sh) from the real
# clock, so they must pass unchanged; the native tests take their dates from the tests.
#
#   bash tests/tools/any-day.sh [OFFSET...]     e.g. +400d -400d +3y
#
# Long form (about 20 minutes for two offsets); expects ./build.sh to have run. cargo itself
# stalls under libfaketime, so the test binaries are built first and run directly, each from
# its package's folder as `cargo test` would.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/setup.sh browser
cargo build --locked --quiet -p cc-reference-server -p cc-health
mkdir -p tests/e2e/output
binaries=$(cargo test --locked --no-run --quiet --message-format=json 2>/dev/null | python3 -c '
import json, os, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable") and message["profile"]["test"]:
        print(os.path.dirname(message["manifest_path"]), message["executable"])
')
offsets=("$@")
[ "${#offsets[@]}" -gt 0 ] || offsets=(+400d -400d)
for offset in "${offsets[@]}"; do
  echo "=== system clock moved by $offset: $(faketime -f "$offset" date -u)"
  while read -r folder binary; do
    echo "--- $(basename "$binary")"
    (cd "$folder" && faketime -f "$offset" "$binary" --quiet)
  done <<< "$binaries"
  faketime -f "$offset" bash tests/tools/fixed-clock.sh \
    node --test --test-concurrency=1 --test-reporter=spec tests/e2e/
done
echo "Passed at every offset: ${offsets[*]}"
