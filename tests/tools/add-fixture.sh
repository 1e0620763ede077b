#!/usr/bin/env bash
# Files a captured page as a fixture: tests/tools/add-fixture.sh SLUG PAGE.html URL [TODAY] [LOCALE]
# Writes tests/fixtures/SLUG/{page.html, meta.json, expected.json}. expected.json is a DRAFT
# produced by cc-health: check every field against the real page and correct it by hand before
# committing (a fixture that merely repeats the tool's output cannot catch a bug).
set -euo pipefail
cd "$(dirname "$0")/../.."
slug="$1"; page="$2"; url="$3"; today="${4:-$(date +%F)}"; locale="${5:-}"
[[ "$slug" =~ ^[a-z0-9-]+$ ]] || { echo "slug: lower-case letters, digits and dashes" >&2; exit 2; }
dir="tests/fixtures/$slug"
[ -e "$dir" ] && { echo "$dir exists" >&2; exit 2; }
mkdir -p "$dir"
cp "$page" "$dir/page.html"
args=(extract "$dir/page.html" --url "$url" --today "$today")
[ -n "$locale" ] && args+=(--locale "$locale")
cargo run --quiet -p cc-health -- "${args[@]}" | python3 -c '
import json, sys
report = json.load(sys.stdin)
for reason in report["score"]["reasons"]:
    reason.pop("message", None)
for warning in report["warnings"]:
    warning.pop("message", None); warning.pop("raw", None)
json.dump(report, open(sys.argv[1], "w"), ensure_ascii=False, indent=2)
' "$dir/expected.json"
python3 -c '
import json, sys
meta = {"url": sys.argv[2], "today": sys.argv[3], "note": "captured from a real org; expected.json verified by hand"}
if sys.argv[4]:
    meta["locale"] = sys.argv[4]
json.dump(meta, open(sys.argv[1], "w"), ensure_ascii=False, indent=2)
' "$dir/meta.json" "$url" "$today" "$locale"
echo "Wrote $dir. Now verify $dir/expected.json field by field against the page."
