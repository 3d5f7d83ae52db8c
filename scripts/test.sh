#!/usr/bin/env bash
# The test command: sets the machine up (scripts/setup.sh), then runs the whole xunit suite in Release
# and closes with one line "tests: N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
cd "$root"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test Shatter.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# The closing line, from either of dotnet test's summaries ("Passed!  - Failed: F, Passed: P, ..." or,
# at normal verbosity, "Total tests: T" / "Passed: P" / "Failed: F").
count() { grep -E "$1" "$log" | tail -n 1 | grep -oE '[0-9]+' | head -n 1 || true; }
line="$(grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+' "$log" | tail -n 1 || true)"
if [ -n "$line" ]; then
  failed="$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$line")"
  passed="$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$line")"
else
  passed="$(count '^ +Passed: +[0-9]+$')"
  failed="$(count '^ +Failed: +[0-9]+$')"
fi
[ -n "$passed" ] && echo "tests: $passed passed, ${failed:-0} failed"
exit "$rc"
