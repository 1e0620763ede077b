#!/usr/bin/env bash
# The bench command (README): builds dist/, then measures what the extension costs and writes
# the figures to target/bench/: page-cost.json (what the extension adds to a page's main thread
# and heap against the same browser without it; tests/bench/page-cost.mjs; page-trace.mjs prints
# where a cold record page's share of it goes), browser.json (time to badge cold and warm, main-thread time,
# long tasks, memory, sizes; tests/bench/time-to-badge.mjs), network-day.json (a signed-in
# working day's requests; tests/reference-server/src/network_day.rs) and criterion's report
# (native extraction + scoring against the bare parse). Figures vary with the machine: read
# medians and ratios. Method and latest figures: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/setup.sh browser
./build.sh > /dev/null
echo "== network: a signed-in working day"
cargo test --quiet -p cc-reference-server network_day -- --nocapture
echo "== browser: what the extension adds to a page, paired against no extension (page-cost.json)"
bash tests/tools/fixed-clock.sh node tests/bench/page-cost.mjs --rounds="${CC_PAGE_COST_ROUNDS:-15}"
echo "== browser: where a cold record page's added main-thread time goes (trace events)"
bash tests/tools/fixed-clock.sh node tests/bench/page-trace.mjs --rounds="${CC_PAGE_TRACE_ROUNDS:-6}"
echo "== browser: time to badge, main thread, memory, sizes (largest fixture)"
bash tests/tools/fixed-clock.sh node tests/bench/time-to-badge.mjs "${1:-30}"
echo "== native: extraction + scoring against the bare parse (criterion)"
cargo bench --quiet -p deal-health --bench extract
echo "Figures written to target/bench/ (and target/criterion/)."
