#!/bin/bash
# Benchmark (not a test): Shatter's minimum-norm Gaussian-kernel interpolation against numpy/scipy/
# scikit-learn on the same Fashion-MNIST subset (Shatter exports its class-balanced indices), whole test
# set. Prints both test errors, their difference in percentage points, and the timing ratio.
# usage: bench/kernel.sh [TRAIN_SIZE (default 10000)] [BANDWIDTH (default 0.02)]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
gamma=${2:-0.02}
threads=${THREADS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/Shatter.Cli -v q -nologo >/dev/null
OMP_NUM_THREADS=$threads src/Shatter.Cli/bin/Debug/net10.0/shatter kernel --dataset fashion-mnist --train-size "$n" --bandwidth "$gamma" \
  --threads "$threads" --json --export-indices "$work/indices.json" > "$work/shatter.json"
OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads MKL_NUM_THREADS=$threads /usr/bin/python3 bench/kernel_sklearn.py "$work/indices.json" --bandwidth "$gamma" > "$work/sklearn.json"
/usr/bin/python3 - "$work/shatter.json" "$work/sklearn.json" "$threads" <<'PY'
import json, sys
s, k = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
st = s["kernel_seconds"] + s["solve_seconds"] + s["predict_seconds"]
print(f"Fashion-MNIST, {s['train_size']} training images, whole test set ({s['test_size']}), gaussian gamma {s['bandwidth']}, {sys.argv[3]} threads")
print(f"{'':28}{'test error':>12}{'train error':>13}{'RKHS norm':>12}{'rel. residual':>15}{'kernel s':>10}{'solve s':>10}")
print(f"{'shatter (TorchSharp/MKL)':28}{100*s['test_error']:>11.2f}%{100*s['train_error']:>12.2f}%{s['rkhs_norm']:>12.3f}{s['relative_residual']:>15.2e}{s['kernel_seconds']:>10.1f}{s['solve_seconds']:>10.1f}")
print(f"{k['implementation'][:27]:28}{100*k['test_error']:>11.2f}%{100*k['train_error']:>12.2f}%{k['rkhs_norm']:>12.3f}{k['relative_residual']:>15.2e}{k['kernel_seconds']:>10.1f}{k['solve_seconds']:>10.1f}")
diff = abs(s["test_error"] - k["test_error"]) * 100
print(f"test error difference: {diff:.3f} percentage points ({'within' if diff <= 0.1 else 'NOT within'} 0.1)")
print(f"time ratio (numpy/scipy build+solve over shatter build+solve): {(k['kernel_seconds'] + k['solve_seconds']) / (s['kernel_seconds'] + s['solve_seconds']):.2f}")
PY
