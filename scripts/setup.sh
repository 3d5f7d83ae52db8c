#!/usr/bin/env bash
# Sets up a Debian 12 machine for Shatter: the system packages (the embedded Fashion-MNIST dataset,
# Chromium for the report test, PostgreSQL for the tests of the shared run queue (they start a throwaway
# server of their own), PyTorch for the measures cross-check test and the reference benchmarks,
# scikit-learn for the kernel benchmark), then restores
# and builds the solution. Idempotent: packages already present are not fetched again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# python3-torch: a test runs bench/measures_check.py (the independent PyTorch implementation of the measures)
packages=(dataset-fashion-mnist chromium postgresql python3-torch libopenblas0-pthread)
# the reference implementations only the benchmarks compare against; CI runs tests, not benchmarks
[ "${CI:-}" = "true" ] || packages+=(python3-sklearn)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required and not on PATH; install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and rerun." >&2
  exit 1
fi
cd "$root"
dotnet restore Shatter.sln -nologo -v quiet
dotnet build Shatter.sln -c Release --no-restore -nologo -v quiet -clp:ErrorsOnly
