#!/usr/bin/env bash
# The demo: builds the extension and opens Chromium with it on a realistic Opportunity page
# served locally under a Salesforce host name. With a display the browser stays open (Ctrl+C
# ends it); without one, a screenshot is written and its path printed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/setup.sh browser
./build.sh
exec node tests/demo.mjs "$@"
