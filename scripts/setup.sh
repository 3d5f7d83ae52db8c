#!/usr/bin/env bash
# Sets up a Debian 12 machine for Shatter's main job (./shatter reproduce figure1 --scale quick): the system
# packages of the embedded data (dataset-fashion-mnist, the default dataset; fortunes, the text corpus of
# `shatter reproduce text`, 2.6 MB), then restores and builds the CLI that
# ./shatter runs. Nothing else: the packages only the tests and benchmarks use (Chromium, PostgreSQL, PyTorch)
# come with scripts/test.sh. Idempotent: packages already present are not fetched again, a current build is kept.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/packages.sh"
install_packages dataset-fashion-mnist fortunes
if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required and not on PATH; install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and rerun." >&2
  exit 1
fi
"$root/shatter" --version >/dev/null   # restores and builds the Release CLI (artifacts/cli) unless it is current
