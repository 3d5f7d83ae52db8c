#!/usr/bin/python3
"""Independent check of `shatter kernel`: minimum-norm Gaussian-kernel interpolation with numpy/scipy/scikit-learn.

Reads the training indices that `shatter kernel --export-indices FILE` chose (same subset), the same
IDX files, scales pixels to [0, 1], builds K = exp(-gamma ||x - z||^2) with scikit-learn's rbf_kernel in
float64, solves K alpha = onehot(y) with scipy.linalg.solve(assume_a='pos') (LAPACK Cholesky), and
predicts the whole test set. Prints one JSON object: test_error, train_error, rkhs_norm,
relative_residual, kernel_seconds, solve_seconds.

usage: kernel_sklearn.py INDICES.json [--data-dir DIR] [--bandwidth GAMMA]
"""
import argparse, gzip, json, os, time

import numpy as np
import scipy.linalg
from sklearn.metrics.pairwise import rbf_kernel


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(data_dir, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(data_dir, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"error: {stem} not found in {data_dir}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("indices")
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--bandwidth", type=float, default=0.02)
    args = ap.parse_args()
    chosen = np.array(json.load(open(args.indices))["train_indices"], dtype=np.int64)
    x_train = read_idx(find(args.data_dir, "train-images-idx3-ubyte")).reshape(60000, -1)[chosen].astype(np.float64) / 255.0
    y_train = read_idx(find(args.data_dir, "train-labels-idx1-ubyte"))[chosen].astype(np.int64)
    x_test = read_idx(find(args.data_dir, "t10k-images-idx3-ubyte")).reshape(10000, -1).astype(np.float64) / 255.0
    y_test = read_idx(find(args.data_dir, "t10k-labels-idx1-ubyte")).astype(np.int64)
    targets = np.eye(10)[y_train]

    t = time.perf_counter()
    k = rbf_kernel(x_train, x_train, gamma=args.bandwidth)
    kernel_seconds = time.perf_counter() - t
    t = time.perf_counter()
    alpha = scipy.linalg.solve(k, targets, assume_a="pos")
    solve_seconds = time.perf_counter() - t
    k_alpha = k @ alpha
    scores = rbf_kernel(x_test, x_train, gamma=args.bandwidth) @ alpha
    print(json.dumps({
        "implementation": "numpy/scipy/scikit-learn " + __import__("sklearn").__version__,
        "train_size": int(len(chosen)),
        "test_size": int(len(y_test)),
        "train_error": float(np.mean(k_alpha.argmax(1) != y_train)),
        "test_error": float(np.mean(scores.argmax(1) != y_test)),
        "rkhs_norm": float(np.sqrt(np.sum(alpha * k_alpha))),
        "relative_residual": float(np.linalg.norm(targets - k_alpha) / np.linalg.norm(targets)),
        "kernel_seconds": kernel_seconds,
        "solve_seconds": solve_seconds,
    }))


if __name__ == "__main__":
    main()
