#!/usr/bin/env python3
"""Writes the ResNet-style network of experiments/examples/scripted-resnet.yaml as TorchScript.

    python3 experiments/examples/scripted_resnet.py                 # -> results/scripted-resnet.pt, for Fashion-MNIST
    python3 experiments/examples/scripted_resnet.py --channels 3 --classes 10 --out net.pt

A stem (conv 3x3, batch norm, ReLU), two residual blocks of two convolutions with batch norm (the second block halves
the side with a strided 1x1 projection), global average pooling and a linear head: (B, C, H, W) -> (B, classes) for
any H and W. Written by torch.jit.script, so Shatter trains it with --model torchscript:PATH; the initial weights are
PyTorch's default initialization under torch.manual_seed(--seed), and they are part of the file (and so of the
run's identity: a file written with another seed is another run).
Needs only PyTorch (Debian: apt-get install python3-torch).

The file is the same byte for byte each time (so the same runs): TorchScript writes a module's constants in Python's
set order, which string hashing randomizes per process, so the script runs itself again with PYTHONHASHSEED=0.
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn


class Block(nn.Module):
    """Two 3x3 convolutions with batch norm and a shortcut (a strided 1x1 projection when the shape changes)."""

    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.shortcut(x) + self.bn2(self.conv2(y)))


class ResNet(nn.Module):
    def __init__(self, channels: int, classes: int, width: int):
        super().__init__()
        self.stem = nn.Conv2d(channels, width, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(width)
        self.block1 = Block(width, width, 1)
        self.block2 = Block(width, 2 * width, 2)
        self.fc = nn.Linear(2 * width, classes)

    def forward(self, x):
        x = F.relu(self.bn(self.stem(x)))
        x = self.block2(self.block1(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, "PYTHONHASHSEED": "0"})
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--channels", type=int, default=1, help="input channels (Fashion-MNIST: 1)")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--width", type=int, default=16, help="channels of the stem and first block (the second has twice as many)")
    p.add_argument("--seed", type=int, default=0, help="torch.manual_seed before the weights are drawn")
    p.add_argument("--out", default=os.path.join("results", "scripted-resnet.pt"))
    a = p.parse_args()
    torch.manual_seed(a.seed)
    model = ResNet(a.channels, a.classes, a.width)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    torch.jit.script(model).save(a.out)
    n = sum(p.numel() for p in model.parameters())
    print(f"wrote {a.out}: ResNet-style net, {a.channels} channels -> {a.classes} classes, width {a.width}, {n} parameters")


if __name__ == "__main__":
    main()
