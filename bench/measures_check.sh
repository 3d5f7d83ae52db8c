#!/usr/bin/env bash
# The PyTorch cross-check of the complexity measures on real runs (docs/measures.md, "PyTorch cross-check"):
# trains short Fashion-MNIST runs of an MLP, AlexNet and Inception (with batch norm) into OUT (default
# results/measures-check; runs already finished there are kept), computes their deterministic measures with
# `shatter measures --groups norms,operator-norms`, and runs bench/measures_check.py on them, which prints one line per
# measure (Shatter's value, PyTorch's, the relative difference) and PASS or FAIL. Exit status: the check's.
# Usage: bench/measures_check.sh [OUT]   (about 5 minutes on an idle 2-core machine; more under load)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/results/measures-check}"
shatter="${SHATTER:-$root/shatter}"  # SHATTER=PATH: another build of the CLI
mkdir -p "$out"
train() { # name, then train options
  local dir="$out/$1"; shift
  [ -f "$dir/summary.json" ] || "$shatter" train --out "$dir" --quiet "$@" >/dev/null
  echo "trained $dir: $(grep -o '"final_train_accuracy": *[0-9.]*' "$dir/summary.json" | head -1)" >&2
}
train mlp-1x512 --model mlp-1x512 --train-size 10000 --test-size 1000 --epochs 5
train mlp-1x512-random --model mlp-1x512 --train-size 10000 --test-size 1000 --epochs 5 --label-noise 1
train alexnet --model alexnet --train-size 1000 --test-size 500 --epochs 3
train inception --model inception --train-size 500 --test-size 500 --epochs 2
runs=("$out/mlp-1x512" "$out/mlp-1x512-random" "$out/alexnet" "$out/inception")
"$shatter" measures "${runs[@]}" --groups norms,operator-norms >&2
exec /usr/bin/python3 "$root/bench/measures_check.py" --shatter "$shatter" "${runs[@]}"
