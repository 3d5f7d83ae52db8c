#!/usr/bin/python3
"""Independent check of Shatter's deterministic complexity measures (issue 9), written in PyTorch.

Usage: /usr/bin/python3 bench/measures_check.py [--shatter CMD] [--tolerance 1e-4] RUN_DIR [RUN_DIR ...]

For each finished run folder it reads what Shatter wrote -- run.json (model, input shape), weights-initial.pt
and weights-final.pt (the PyTorch state_dicts), measures.json (from `shatter measures RUN_DIR`) and the run's
training set (RUN_DIR/training-data.pt if present, else exported with `CMD export RUN_DIR --training-data`
into a temporary folder: the images as the model sees them at evaluation, the labels as trained) -- and
recomputes, with its own code and nothing of Shatter's but the tensors:

- the network's forward pass, written here from the state_dict with torch.nn.functional (MLP, AlexNet with
  PyTorch's own local_response_norm, Inception with and without batch norm), in float64, eval mode;
- batch-norm folding from the state_dict (conv weight and bias scaled per output channel by
  1/sqrt(running_var + eps), the shift beta - s*running_mean moved into the bias), checked by comparing the
  folded network's outputs with the unfolded one's (on the first 250 training examples);
- margins over the whole training set: f_y(x) - max_{j!=y} f_j(x), from the two largest logits of each row;
  their 10th percentile (gamma, numpy's linear interpolation via torch.quantile), minimum, median, and the
  training accuracy (margin > 0); the Frobenius norm of the training inputs;
- on the folded weights (conv kernels reshaped to out x in*k*k, as Shatter states): Frobenius sum and product,
  spectral product and sum (torch.linalg.svdvals), distance from initialisation, Bartlett et al.'s spectral
  complexity, the l2 path norm (the folded network with squared weights, zero biases, on an all-ones input),
  and the spectral complexity over gamma;
- the convolutions' operator norms on their input sides (Sedghi et al. 2019: the largest singular value of
  the kernel's 2-D DFT per frequency, with numpy's FFT and SVD), their product and sum with the linear layers'
  spectral norms.

Prints one line per measure (Shatter's value, PyTorch's, the relative difference |s - p| / |p|) and closes with
PASS (every difference <= the tolerance, default 1e-4) or FAIL; exit status 0 or 1. Needs Debian's
python3-torch (scripts/setup.sh). Threads: OMP_NUM_THREADS.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

BN_EPS = 1e-5  # PyTorch's (and Shatter's) BatchNorm2d default; a state_dict does not record it
HERE = os.path.dirname(os.path.abspath(__file__))


# ------------------------------------------------------------------------------------ forward passes

SIDES = {}  # weight key -> (H, W) of the convolution's input, recorded by every forward pass


def conv(sd, p, x, stride=1, padding=0):
    SIDES[p + ".weight"] = tuple(x.shape[2:])
    return F.conv2d(x, sd[p + ".weight"], sd.get(p + ".bias"), stride, padding)


def conv_module(sd, p, x, stride):
    """Inception's conv module: conv (same padding at stride 1, valid at 2) -> BN (no scale) + beta, or conv with bias -> ReLU."""
    pad = sd[p + ".conv.weight"].shape[-1] // 2 if stride == 1 else 0
    y = conv(sd, p + ".conv", x, stride, pad)  # no bias with batch norm
    if p + ".bn.running_mean" in sd:
        y = F.batch_norm(y, sd[p + ".bn.running_mean"], sd[p + ".bn.running_var"], None, None, False, 0.0, BN_EPS)
        y = y + sd[p + ".beta"][None, :, None, None]
    return F.relu(y)


def inception(sd, x):
    mod = lambda p, h: torch.cat([conv_module(sd, p + ".branch1x1", h, 1), conv_module(sd, p + ".branch3x3", h, 1)], 1)
    down = lambda p, h: torch.cat([conv_module(sd, p + ".conv", h, 2), F.max_pool2d(h, 3, 2)], 1)
    h = conv_module(sd, "conv1", x, 1)
    h = down("downsample1", mod("inception1b", mod("inception1a", h)))
    for p in ("inception2a", "inception2b", "inception2c", "inception2d"):
        h = mod(p, h)
    h = mod("inception3b", mod("inception3a", down("downsample2", h)))
    return F.linear(h.mean((2, 3)), sd["fc.weight"], sd["fc.bias"])


def alexnet(sd, x):
    for p in ("conv1", "conv2"):
        x = conv(sd, p, x, padding=2)
        x = F.local_response_norm(F.max_pool2d(F.relu(x), 3, 2, 1), 4, alpha=0.001 / 9.0, beta=0.75, k=1.0)
    x = F.relu(F.linear(x.flatten(1), sd["fc384.weight"], sd["fc384.bias"]))
    x = F.relu(F.linear(x, sd["fc192.weight"], sd["fc192.bias"]))
    return F.linear(x, sd["output.weight"], sd["output.bias"])


def mlp(sd, x):
    x, i = x.flatten(1), 0
    while f"hidden.{i}.weight" in sd:
        x = F.relu(F.linear(x, sd[f"hidden.{i}.weight"], sd[f"hidden.{i}.bias"]))
        i += 1
    return F.linear(x, sd["output.weight"], sd["output.bias"])


def network(model):
    if model.startswith("mlp"):
        return mlp
    if model == "alexnet":
        return alexnet
    if model in ("inception", "inception-nobn"):
        return inception
    raise SystemExit(f"this check knows MLPs, alexnet and inception, not {model}")


# --------------------------------------------------------------------------------- state_dict algebra

def as_double(state):
    return {k: v.detach().double() for k, v in state.items() if v.is_floating_point()}


def fold(sd):
    """Every P.bn (running statistics, optional affine weight/bias, Inception's P.beta) folded into P.conv."""
    out = dict(sd)
    for key in [k for k in sd if k.endswith(".bn.running_mean")]:
        p = key[: -len(".bn.running_mean")]
        mean, var = sd[p + ".bn.running_mean"], sd[p + ".bn.running_var"]
        s = 1.0 / torch.sqrt(var + BN_EPS)
        if p + ".bn.weight" in sd:
            s = s * sd[p + ".bn.weight"]
        shift = sd.get(p + ".bn.bias", torch.zeros_like(mean)) + sd.get(p + ".beta", torch.zeros_like(mean))
        bias = sd.get(p + ".conv.bias", torch.zeros_like(mean))
        out[p + ".conv.weight"] = sd[p + ".conv.weight"] * s[:, None, None, None]
        out[p + ".conv.bias"] = s * (bias - mean) + shift          # s*(conv(x) + b - mean) + shift
        for k in [k for k in out if k.startswith(p + ".bn.") or k == p + ".beta"]:
            del out[k]
    return out


def weights(sd):
    """The linear maps' matrices (out, in) and conv kernels reshaped to (out, in*k*k); batch-norm vectors excluded."""
    return {k: v.reshape(v.shape[0], -1) for k, v in sd.items() if k.endswith("weight") and v.dim() in (2, 4)}


def path_norm(forward, folded, shape):
    sq = {k: (v * v if k.endswith("weight") and v.dim() in (2, 4) else torch.zeros_like(v)) for k, v in folded.items()}
    return math.sqrt(forward(sq, torch.ones((1,) + tuple(shape), dtype=torch.float64)).sum().item())


def operator_norm(kernel, side):
    """Sedghi et al. 2019, with numpy: the largest singular value over the frequencies of the kernel's 2-D DFT on the input grid."""
    k = kernel.numpy()
    if k.shape[2] > side[0] or k.shape[3] > side[1]:  # taps wrap around a grid smaller than the kernel
        wrapped = np.zeros(k.shape[:2] + tuple(side))
        for p in range(k.shape[2]):
            for q in range(k.shape[3]):
                wrapped[:, :, p % side[0], q % side[1]] += k[:, :, p, q]
        k = wrapped
    spectrum = np.fft.fft2(k, s=side, axes=(2, 3))                        # (out, in, H, W)
    return float(np.linalg.svd(spectrum.transpose(2, 3, 0, 1), compute_uv=False).max())


def margins_of(logits, y):
    """f_y - max_{j != y} f_j from each row's two largest logits."""
    top2 = logits.topk(2, dim=1).values
    own = logits.gather(1, y[:, None]).squeeze(1)
    return torch.where(own == top2[:, 0], own - top2[:, 1], own - top2[:, 0])


def outputs(forward, sd, x, batch=250):
    with torch.no_grad():
        return torch.cat([forward(sd, x[i:i + batch].double()) for i in range(0, len(x), batch)])


def measures(run_dir, data_file):
    with open(os.path.join(run_dir, "run.json")) as f:
        run = json.load(f)
    model, shape = run["config"]["model"], run["resolved"]["input_shape"]
    forward = network(model)
    final = as_double(torch.load(os.path.join(run_dir, "weights-final.pt"), map_location="cpu"))
    initial = as_double(torch.load(os.path.join(run_dir, "weights-initial.pt"), map_location="cpu"))
    data = torch.load(data_file, map_location="cpu")
    x, y = data["x"], data["y"].long()
    folded, folded0 = fold(final), fold(initial)

    logits = outputs(forward, folded, x)
    unfolded = outputs(forward, final, x[:250])  # the folding check on the first 250 examples (a float64 forward is slow)
    fold_error = ((logits[:250] - unfolded).abs().max() / unfolded.abs().max()).item()
    m = margins_of(logits, y)
    gamma = torch.quantile(m, 0.1).item()

    w, w0 = weights(folded), weights(folded0)
    fro = [torch.linalg.matrix_norm(a).item() for a in w.values()]
    spec = [torch.linalg.svdvals(a)[0].item() for a in w.values()]
    inner = sum(((w[k] - w0[k]).norm(dim=1).sum().item() / s) ** (2 / 3) for k, s in zip(w, spec))
    ops = [operator_norm(folded[k], SIDES[k]) if folded[k].dim() == 4 else s for k, s in zip(w, spec)]
    out = {
        "train_accuracy": (m > 0).double().mean().item(),
        "margin_p10": gamma,
        "margin_min": m.min().item(),
        "margin_median": torch.quantile(m, 0.5).item(),
        "input_frobenius": x.double().norm().item(),
        "frobenius_sum": sum(fro),
        "frobenius_product": math.prod(fro),
        "spectral_product": math.prod(spec),
        "spectral_sum": sum(spec),
        "distance_from_init": math.sqrt(sum((w[k] - w0[k]).pow(2).sum().item() for k in w)),
        "spectral_complexity": math.prod(spec) * inner ** 1.5,
        "path_norm": path_norm(forward, folded, shape),
        "operator_product": math.prod(ops),
        "operator_sum": sum(ops),
    }
    if gamma > 0:
        out["spectral_complexity_over_margin"] = out["spectral_complexity"] / gamma
    return model, len(y), len(w), fold_error, out


def export_data(shatter, run_dir, folder):
    path = os.path.join(folder, "training-data.pt")
    subprocess.run(shatter + ["export", run_dir, "--training-data", path], check=True, stdout=subprocess.DEVNULL)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", metavar="RUN_DIR")
    parser.add_argument("--shatter", default=os.path.join(HERE, "..", "shatter"),
                        help="the Shatter CLI, to export a run's training set when RUN_DIR/training-data.pt is absent (default: this checkout's ./shatter)")
    parser.add_argument("--tolerance", type=float, default=1e-4, help="largest relative difference that passes (default 1e-4)")
    a = parser.parse_args()
    worst, failed = 0.0, False
    for d in a.runs:
        with open(os.path.join(d, "measures.json")) as f:
            shatter = json.load(f)["values"]
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(d, "training-data.pt")
            if not os.path.exists(data):
                data = export_data(a.shatter.split(), d, tmp)
            model, n, layers, fold_error, ours = measures(d, data)
        print(f"{d} ({model}, {n} training examples, {layers} weight layers; folded network's outputs differ from the unfolded one's by {fold_error:.1e} of the largest)")
        if fold_error > 1e-9:
            print(f"  FAIL: batch-norm folding changed the outputs by {fold_error:.1e}")
            failed = True
        for name, value in ours.items():
            theirs = shatter.get(name)
            if theirs is None:
                print(f"  {name:32s} shatter {'(none)':>18s}   pytorch {value:18.10g}   FAIL: Shatter stored no value")
                failed = True
                continue
            rel = abs(theirs - value) / abs(value) if value != 0 else abs(theirs)
            ok = rel <= a.tolerance
            worst = max(worst, rel)
            failed |= not ok
            print(f"  {name:32s} shatter {theirs:18.10g}   pytorch {value:18.10g}   relative difference {rel:.1e}{'' if ok else '   FAIL'}")
    print(f"largest relative difference {worst:.1e} (tolerance {a.tolerance:g}): {'FAIL' if failed else 'PASS'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
