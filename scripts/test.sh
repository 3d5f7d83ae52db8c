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
summary="$(grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+' "$log" | tail -n 1)"
if [ -n "$summary" ]; then
  failed="$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$summary")"
  passed="$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$summary")"
  echo "tests: $passed passed, $failed failed"
fi
exit "$rc"
