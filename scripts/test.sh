#!/usr/bin/env bash
# The test command: sets the machine up for the main job (scripts/setup.sh), installs what only the tests use —
# Chromium (the report test opens the page headless), PostgreSQL (the shared-queue tests start a throwaway server
# of their own; never skipped), PyTorch with OpenBLAS (the measures cross-check runs bench/measures_check.py, the
# TorchScript tests script their models), scikit-learn (the house-prices table of the regression tests and the
# fortunes word-count baseline) —
# builds the solution and runs the whole xunit suite in Release, closing with one line "tests: N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
. "$root/scripts/packages.sh"
install_packages chromium postgresql python3-torch libopenblas0-pthread python3-sklearn
cd "$root"
dotnet build Shatter.sln -c Release -nologo -v quiet -clp:ErrorsOnly
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
# Each failed test again, with its message and the top of its stack trace, just above the closing line: a log that
# keeps only its last lines (CI's) still says which test failed and why.
if [ "${failed:-0}" != "0" ]; then
  echo "failed tests (repeated from above):"
  awk '/^ +Failed [A-Za-z_]/ { on = 1; n = 0; trace = 0 }
       on { print; n++; if (/^ +Stack Trace:/) trace = n; if (n >= 30 || (trace > 0 && n >= trace + 4)) on = 0 }' "$log" | head -n 200
fi
[ -n "$passed" ] && echo "tests: $passed passed, ${failed:-0} failed"
exit "$rc"
