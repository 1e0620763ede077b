#!/usr/bin/env bash
# Runs a command, and every process it starts (node, Chromium with the extension's content
# script, worker and side panel, the stand-ins), with the wall clock at the date the fixtures
# were written for, ticking from there. No browser test may depend on the real date: the fixture
# pages carry fixed close dates, so "today" must be fixed too.
#
#   bash tests/tools/fixed-clock.sh CMD [ARGS...]
#
# The date is `TODAY` of tests/fixtures/generate.py (every meta.json's `today`), at noon UTC;
# CC_FIXED_NOW overrides it. It uses Debian's libfaketime (package `faketime`) with a relative
# offset, which every process applies alike, so node, Chromium and the reference server agree
# to the second. The offset is taken against the real clock even when this runs under another
# faketime (the proof that the suite passes on any day: faketime -f +400d bash tests/run-all.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
today=$(sed -n 's/^TODAY = "\([0-9-]*\)"$/\1/p' "$here/tests/fixtures/generate.py")
fixed="${CC_FIXED_NOW:-${today}T12:00:00Z}"
library=""
for candidate in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
  if [ -f "$candidate" ]; then library="$candidate"; break; fi
done
if [ -z "$library" ]; then
  echo "fixed-clock: libfaketime is missing (bash tests/setup.sh browser installs it)" >&2
  exit 1
fi
real=$(env -u LD_PRELOAD -u FAKETIME -u FAKETIME_SHARED date -u +%s)
target=$(env -u LD_PRELOAD -u FAKETIME -u FAKETIME_SHARED date -u -d "$fixed" +%s)
offset=$((target - real))
if [ "$offset" -ge 0 ]; then offset="+$offset"; fi
unset FAKETIME_SHARED FAKETIME_DONT_FAKE_MONOTONIC
# Chromium stalls for a minute at start when only the wall clock is moved
# (FAKETIME_DONT_FAKE_MONOTONIC=1): both clocks move by the same offset.
export LD_PRELOAD="$library" FAKETIME="$offset" CC_FIXED_NOW="$fixed"
exec "$@"
