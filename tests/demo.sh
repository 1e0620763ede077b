#!/usr/bin/env bash
# The demo: builds the extension and the Customer City reference server, then opens Chromium
# with the extension on a realistic Opportunity page served locally under a Salesforce host
# name, signed in to the reference server, so the badge shows the enriched analysis. With a
# display the browser stays open (Ctrl+C ends it); without one, a screenshot is written and its
# path printed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/setup.sh browser
./build.sh
cargo build --quiet -p cc-reference-server
# On today's date: the stand-in moves the demo page's dates to it (tests/demo.mjs).
exec node tests/demo.mjs "$@"
