#!/usr/bin/env bash
# Fuzzes the core's parsers with cargo-fuzz (libFuzzer): value parsers, URL recognition,
# whole-page extraction and list rows (parsed backend), API response decoding, messages and
# stored state.
#   bash tests/fuzz/run.sh                 every target for 600 s (the long form)
#   bash tests/fuzz/run.sh 15              every target for 15 s (CI's smoke)
#   bash tests/fuzz/run.sh 120 page api    chosen targets
# Seeds are committed in extension-core/fuzz/seeds/<target>/; the page and list targets also
# start from every fixture page under 40 KB. Inputs libFuzzer finds go to
# target/fuzz/corpus/<target>/ (kept between runs, not committed); a crash or a timeout (10 s per input) fails the run and
# leaves its input in extension-core/fuzz/artifacts/<target>/. Figures: target/fuzz/summary.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-600}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(values url page list api message)

# cargo-fuzz pinned; it builds on the stable toolchain with `--sanitizer none` (safe Rust needs
# no AddressSanitizer; libFuzzer's coverage and comparison tracing are what find the inputs).
fuzz_version=0.13.2
if ! cargo fuzz --version 2>/dev/null | grep -q "$fuzz_version"; then
  echo "fuzz: installing cargo-fuzz $fuzz_version (about 2 minutes)"
  cargo install --quiet --locked cargo-fuzz --version "$fuzz_version"
fi

fuzz=(cargo fuzz run --fuzz-dir extension-core/fuzz --sanitizer none --release --debug-assertions)
echo "fuzz: building the targets"
cargo fuzz build --fuzz-dir extension-core/fuzz --sanitizer none --release --debug-assertions

mkdir -p target/fuzz
fixture_seeds=target/fuzz/fixture-pages
rm -rf "$fixture_seeds" && mkdir -p "$fixture_seeds"
python3 - "$fixture_seeds" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
for meta in sorted(pathlib.Path('tests/fixtures').glob('*/meta.json')):
    page = meta.parent / 'page.html'
    if page.stat().st_size < 40_000:
        url = json.loads(meta.read_text())['url']
        (out / meta.parent.name).write_text(url + '\n' + page.read_text())
PY

summary=target/fuzz/summary.json
echo '{}' > "$summary"
for target in "${targets[@]}"; do
  corpus="target/fuzz/corpus/$target"
  mkdir -p "$corpus"
  seeds=("extension-core/fuzz/seeds/$target")
  max_len=4096
  if [ "$target" = page ] || [ "$target" = list ]; then seeds+=("$fixture_seeds"); max_len=65536; fi
  if [ "$target" = api ]; then max_len=16384; fi
  log="target/fuzz/$target.log"
  echo "fuzz: $target for ${seconds}s"
  status=0
  "${fuzz[@]}" "$target" "$corpus" "${seeds[@]}" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  corpus_size=$(find "$corpus" -type f | wc -l)
  echo "fuzz: $target: ${runs:-0} executions, corpus $corpus_size inputs, exit $status"
  python3 - "$summary" "$target" "${runs:-0}" "$corpus_size" "$seconds" "$status" <<'PY'
import json, sys
path, target, runs, corpus, seconds, status = sys.argv[1:]
data = json.load(open(path))
data[target] = {"executions": int(runs), "corpus": int(corpus), "seconds": int(seconds), "exit": int(status)}
json.dump(data, open(path, 'w'), indent=2)
PY
  if [ "$status" -ne 0 ]; then
    tail -40 "$log" >&2
    echo "fuzz: $target failed; the input is in extension-core/fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
cat "$summary"
