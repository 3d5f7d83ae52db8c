#!/bin/bash
# Benchmark (not a test): Shatter's minimum-norm Gaussian-kernel interpolation against numpy/scipy/
# scikit-learn on the same Fashion-MNIST subset (Shatter exports its class-balanced indices), whole test
# set, with the Release build users run (./shatter). Runs the two back to back REPEATS times (default 1;
# on a shared machine use 3 and read the median) and prints the CPU, both test errors and RKHS norms,
# their differences, each timing ratio (numpy/scipy build + solve over Shatter build + solve) and the
# load average before each pair.
# usage: [REPEATS=3] [THREADS=2] bench/kernel.sh [TRAIN_SIZE (default 10000)] [BANDWIDTH (default 0.02)] [-- extra shatter kernel options]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
gamma=${2:-0.02}
shift $(( $# < 2 ? $# : 2 ))
[ "${1:-}" = "--" ] && shift
threads=${THREADS:-2}
repeats=${REPEATS:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./shatter --version >/dev/null   # builds the Release CLI if a source changed
for i in $(seq 1 "$repeats"); do
  cut -d' ' -f1 /proc/loadavg > "$work/load.$i"   # the 1-minute load average before the pair: the machine may be shared
  OMP_NUM_THREADS=$threads ./shatter kernel --dataset fashion-mnist --train-size "$n" --bandwidth "$gamma" \
    --threads "$threads" --json --export-indices "$work/indices.json" "$@" > "$work/shatter.$i.json"
  OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads MKL_NUM_THREADS=$threads /usr/bin/python3 bench/kernel_sklearn.py "$work/indices.json" --bandwidth "$gamma" > "$work/sklearn.$i.json"
done
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
/usr/bin/python3 - "$work" "$repeats" "$threads" "$cpu" "$(nproc)" <<'PY'
import json, statistics, sys
work, repeats, threads, cpu, cores = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
ratios = []
for i in range(1, repeats + 1):
    s, k = json.load(open(f"{work}/shatter.{i}.json")), json.load(open(f"{work}/sklearn.{i}.json"))
    if i == 1:
        print(f"CPU: {cpu} ({cores} cores), {threads} threads; Fashion-MNIST, {s['train_size']} training images, whole test set ({s['test_size']}), gaussian gamma {s['bandwidth']}")
        print(f"{'':34}{'test error':>12}{'train error':>13}{'RKHS norm':>13}{'rel. residual':>15}{'kernel s':>10}{'solve s':>10}")
    name = f"shatter ({s['precision']}, TorchSharp)"
    print(f"{i}: {name[:31]:31}{100*s['test_error']:>11.2f}%{100*s['train_error']:>12.2f}%{s['rkhs_norm']:>13.6f}{s['relative_residual']:>15.2e}{s['kernel_seconds']:>10.2f}{s['solve_seconds']:>10.2f}")
    print(f"{i}: {k['implementation'][:31]:31}{100*k['test_error']:>11.2f}%{100*k['train_error']:>12.2f}%{k['rkhs_norm']:>13.6f}{k['relative_residual']:>15.2e}{k['kernel_seconds']:>10.2f}{k['solve_seconds']:>10.2f}")
    diff = abs(s["test_error"] - k["test_error"]) * 100
    rel = abs(s["rkhs_norm"] / k["rkhs_norm"] - 1)
    ratio = (k["kernel_seconds"] + k["solve_seconds"]) / (s["kernel_seconds"] + s["solve_seconds"])
    ratios.append(ratio)
    load = open(f"{work}/load.{i}").read().strip()
    print(f"{i}: load average {load} before the pair ({cores} cores; above {cores} the two programs shared the CPUs with other jobs)")
    print(f"{i}: test error difference {diff:.3f} percentage points ({'within' if diff <= 0.01 else 'NOT within'} 0.01); "
          f"RKHS norm relative difference {rel:.1e} ({'within' if rel <= 1e-6 else 'NOT within'} 1e-6); "
          f"time ratio (numpy/scipy build+solve over shatter build+solve) {ratio:.2f}")
print(f"time ratio over {repeats} back-to-back pair(s): median {statistics.median(ratios):.2f}, min {min(ratios):.2f}, max {max(ratios):.2f}")
PY
