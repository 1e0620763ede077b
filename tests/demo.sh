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
# The demo page's dates are the fixtures' (a deal closing in three weeks): its browser and the
# reference server see the day they were written for, whatever today is.
exec bash tests/tools/fixed-clock.sh node tests/demo.mjs "$@"
