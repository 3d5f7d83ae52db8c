#!/usr/bin/env python3
"""Independent check of Shatter's deterministic complexity measures (issue 9), in PyTorch.

Usage: bench/measures_check.py RUN_DIR [RUN_DIR ...]

Reads a run's weights-initial.pt and weights-final.pt (the PyTorch state_dicts Shatter writes, also what
`shatter export` gives) and its measures.json (from `shatter measures RUN_DIR`), recomputes from the weights
alone the Frobenius sum and product, the product and sum of spectral norms, the distance from
initialisation, Bartlett et al.'s spectral complexity and (for MLPs) the l2 path norm, and prints each
with Shatter's value and the relative difference; exits 1 if any differs by more than 1e-4 relative.
Batch norm is not folded here, so runs with batch norm (inception) are refused; conv kernels are
reshaped to out x (in*k*k) as in Shatter. Margins need the run's data and are not checked here.
"""
import json
import math
import os
import sys

import torch


def layers(state):
    """The weight matrices in forward order: hidden.0, hidden.1, ..., then the rest in key order; as float64 (out, -1)."""
    keys = [k for k, v in state.items() if k.endswith("weight") and v.dim() in (2, 4)]
    if any("bn" in k or "running" in k for k in state):
        raise SystemExit("this check does not fold batch norm; give runs without batch norm (MLP, AlexNet, inception-nobn)")
    def order(k):
        parts = k.split(".")
        return (0, int(parts[1])) if parts[0] == "hidden" else (1, k)
    keys.sort(key=order)
    return keys, [state[k].double().reshape(state[k].shape[0], -1) for k in keys]


def measures(final, initial, is_mlp):
    keys, w = layers(final)
    _, w0 = layers(initial)
    fro = [torch.linalg.matrix_norm(a).item() for a in w]
    spec = [torch.linalg.svdvals(a).max().item() for a in w]
    out = {
        "frobenius_sum": sum(fro),
        "frobenius_product": math.prod(fro),
        "spectral_product": math.prod(spec),
        "spectral_sum": sum(spec),
        "distance_from_init": math.sqrt(sum(((a - b) ** 2).sum().item() for a, b in zip(w, w0))),
    }
    inner = sum(((a - b).pow(2).sum(1).sqrt().sum().item() / s) ** (2 / 3) for a, b, s in zip(w, w0, spec))
    out["spectral_complexity"] = math.prod(spec) * inner ** 1.5
    if is_mlp:
        h = torch.ones(w[0].shape[1], dtype=torch.float64)
        for i, a in enumerate(w):  # squared weights, no biases, ReLU (the identity on these non-negative values)
            h = (a ** 2) @ h
        out["path_norm"] = math.sqrt(h.sum().item())
    return out


def main(dirs):
    worst = 0.0
    for d in dirs:
        final = torch.load(os.path.join(d, "weights-final.pt"), map_location="cpu")
        initial = torch.load(os.path.join(d, "weights-initial.pt"), map_location="cpu")
        with open(os.path.join(d, "run.json")) as f:
            model = json.load(f)["config"]["model"]
        with open(os.path.join(d, "measures.json")) as f:
            shatter = json.load(f)["values"]
        print(f"{d} ({model}):")
        for name, value in measures(final, initial, model.startswith("mlp")).items():
            theirs = shatter.get(name)
            if theirs is None:
                print(f"  {name:22s} pytorch {value:.10g}   shatter –")
                continue
            rel = abs(value - theirs) / max(abs(value), 1e-300)
            worst = max(worst, rel)
            print(f"  {name:22s} pytorch {value:.10g}   shatter {theirs:.10g}   relative difference {rel:.2e}")
    print(f"largest relative difference: {worst:.2e} ({'agrees' if worst <= 1e-4 else 'DISAGREES'} within 1e-4)")
    return 0 if worst <= 1e-4 else 1


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1:]))
