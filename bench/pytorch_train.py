#!/usr/bin/python3
"""PyTorch reference for `shatter bench train`: the training job of `shatter train`, written the way a
PyTorch user would, so the two can be timed side by side on one machine with the same thread count.

Same job as Shatter (src/Shatter/Training/Trainer.cs, TrainingData.cs):
- data: IDX Fashion-MNIST / MNIST or CIFAR-10 binary files; class-balanced training and test subsets
  (per class a random choice, sorted); pixels / 255; CIFAR centre-cropped 32 -> 28 (the paper);
  per-image whitening (TensorFlow's per_image_standardization); optional uniform label noise.
- seeds: every random choice from its own stream, seeded by SplitMix64(seed, purpose) exactly as
  Shatter's Seeds.Derive ("train-subset", "test-subset", "labels", "init", "order/<epoch>",
  "dropout/<epoch>"), so subsets, labels, initialization (PyTorch's default layer init under
  manual_seed) and the per-epoch shuffle are drawn from the same generators as Shatter's.
- models: mlp-1x512, mlp-3x512, alexnet (the TensorFlow-tutorial AlexNet with LRN), inception (the
  paper's small Inception, batch norm without scale plus a learned offset), as in src/Shatter/Models.
- schedule: SGD with momentum 0.9, batch 128, lr0 * decay ** (samples seen // decay_every) set before
  every step (the paper's staircase), a fresh shuffle every epoch.
- measurement: loss and accuracy over the whole training and test sets in eval mode after every epoch
  (and once before training, outside the clock); wall time of the epoch loop, evaluations included.

Prints one JSON line. Usage:
  /usr/bin/python3 bench/pytorch_train.py --model mlp-1x512 --train-size 10000 --epochs 5 --label-noise 1
  /usr/bin/python3 bench/pytorch_train.py --model inception --train-size 1000 --test-size 1000 --epochs 2
Threads: OMP_NUM_THREADS (give both programs the same). Needs Debian's python3-torch (scripts/setup.sh).
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MASK = (1 << 64) - 1


def splitmix(z):
    z = (z + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def derive(seed, purpose):
    """Shatter's Seeds.Derive: an independent, stable seed per purpose."""
    h = seed & MASK
    for ch in purpose:
        h = splitmix(h ^ ord(ch))
    return splitmix(h) >> 1


def generator(seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return g


# ---------------------------------------------------------------------------------------------- data

def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack('>' + 'I' * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, stem):
    for name in (stem, stem + '.gz'):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise SystemExit(f'error: {stem} not found in {folder}; pass --data-dir.')


def load(dataset, folder):
    """(train images uint8 (N, C, H, W), train labels, test images, test labels)."""
    if dataset in ('fashion-mnist', 'mnist'):
        folder = folder or os.environ.get('SHATTER_DATA') or f'/usr/share/datasets/{dataset}'
        images = lambda stem: read_idx(find(folder, stem))[:, None]
        labels = lambda stem: read_idx(find(folder, stem))
        return (images('train-images-idx3-ubyte'), labels('train-labels-idx1-ubyte'),
                images('t10k-images-idx3-ubyte'), labels('t10k-labels-idx1-ubyte'))
    if dataset == 'cifar10':
        if folder is None:
            raise SystemExit('error: cifar10 needs --data-dir (the folder of data_batch_*.bin and test_batch.bin).')
        def read(names):
            rows = np.concatenate([np.fromfile(os.path.join(folder, n), dtype=np.uint8).reshape(-1, 3073) for n in names])
            return rows[:, 1:].reshape(-1, 3, 32, 32), rows[:, 0]
        x, y = read([f'data_batch_{i}.bin' for i in range(1, 6)])
        xt, yt = read(['test_batch.bin'])
        return x, y, xt, yt
    raise SystemExit(f'error: unknown dataset {dataset}; use fashion-mnist, mnist or cifar10.')


def class_balanced(labels, classes, size, seed):
    """Indices of a class-balanced subset, sorted (Shatter's Subsets.ClassBalancedIndices)."""
    labels = torch.from_numpy(labels.astype(np.int64))
    if size == 0 or size >= len(labels):
        return torch.arange(len(labels))
    present = [c for c in range(classes) if int((labels == c).sum()) > 0]
    g = generator(seed)
    chosen = []
    for i, c in enumerate(present):
        take = size // len(present) + (1 if i < size % len(present) else 0)
        members = torch.nonzero(labels == c).flatten()
        chosen.append(members[torch.randperm(len(members), generator=g)[:take]])
    return torch.cat(chosen).sort().values


def whiten(x):
    """TensorFlow's per_image_standardization of (N, C, H, W) floats."""
    flat = x.reshape(len(x), -1)
    mean = flat.mean(1, keepdim=True)
    std = flat.std(1, unbiased=False, keepdim=True).clamp_min(1.0 / flat.shape[1] ** 0.5)
    return ((flat - mean) / std).reshape(x.shape)


def prepare(a):
    x, y, xt, yt = load(a.dataset, a.data_dir)
    classes = 10
    train = class_balanced(y, classes, a.train_size, derive(a.seed, 'train-subset'))
    test = class_balanced(yt, classes, a.test_size, derive(a.seed, 'test-subset'))
    crop = 28 if x.shape[2] == 32 else 0
    def images(arr, idx):
        t = torch.from_numpy(arr[idx.numpy()].copy()).float().div_(255)
        if crop:
            o = (t.shape[2] - crop) // 2
            t = t[:, :, o:o + crop, o:o + crop]
        return whiten(t).contiguous()
    ytr = torch.from_numpy(y[train.numpy()].astype(np.int64))
    if a.label_noise > 0:
        g = generator(derive(a.seed, 'labels'))
        drawn = torch.rand(len(ytr), generator=g) < a.label_noise
        redrawn = torch.randint(classes, (len(ytr),), generator=g)
        ytr = torch.where(drawn, redrawn, ytr)
    return images(x, train), ytr, images(xt, test), torch.from_numpy(yt[test.numpy()].astype(np.int64)), classes


# -------------------------------------------------------------------------------------------- models

def mlp(inputs, widths, classes):
    layers, prev = [nn.Flatten()], inputs
    for w in widths:
        layers += [nn.Linear(prev, w), nn.ReLU()]
        prev = w
    return nn.Sequential(*layers, nn.Linear(prev, classes))


def alexnet(channels, side, classes):
    pooled = ((side - 1) // 2 + 1 - 1) // 2 + 1                     # two max-pools 3x3, stride 2, padding 1
    lrn = lambda: nn.LocalResponseNorm(4, alpha=0.001 / 9.0, beta=0.75, k=1.0)
    return nn.Sequential(
        nn.Conv2d(channels, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2, 1), lrn(),
        nn.Conv2d(64, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2, 1), lrn(),
        nn.Flatten(), nn.Linear(64 * pooled * pooled, 384), nn.ReLU(), nn.Linear(384, 192), nn.ReLU(), nn.Linear(192, classes))


class Conv(nn.Module):
    """Conv k x k without bias -> batch norm without scale, plus a learned offset beta -> ReLU."""
    def __init__(self, cin, cout, k, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2 if stride == 1 else 0, bias=False)
        self.bn = nn.BatchNorm2d(cout, affine=False)
        self.beta = nn.Parameter(torch.zeros(cout))

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)) + self.beta[:, None, None])


class Inception(nn.Module):
    def __init__(self, cin, c1, c3):
        super().__init__()
        self.branch1x1, self.branch3x3 = Conv(cin, c1, 1), Conv(cin, c3, 3)

    def forward(self, x):
        return torch.cat([self.branch1x1(x), self.branch3x3(x)], 1)


class Downsample(nn.Module):
    def __init__(self, cin, c3):
        super().__init__()
        self.conv, self.pool = Conv(cin, c3, 3, stride=2), nn.MaxPool2d(3, 2)

    def forward(self, x):
        return torch.cat([self.conv(x), self.pool(x)], 1)


class InceptionSmall(nn.Module):
    """The paper's Figure 3: 28 -> 13 -> 6 on 28 x 28 inputs."""
    def __init__(self, channels, classes):
        super().__init__()
        self.conv1 = Conv(channels, 96, 3)
        self.inception1a, self.inception1b = Inception(96, 32, 32), Inception(64, 32, 48)
        self.downsample1 = Downsample(80, 80)
        self.inception2a, self.inception2b = Inception(160, 112, 48), Inception(160, 96, 64)
        self.inception2c, self.inception2d = Inception(160, 80, 80), Inception(160, 48, 96)
        self.downsample2 = Downsample(144, 96)
        self.inception3a, self.inception3b = Inception(240, 176, 160), Inception(336, 176, 160)
        self.fc = nn.Linear(336, classes)

    def forward(self, x):
        x = self.downsample1(self.inception1b(self.inception1a(self.conv1(x))))
        x = self.inception2d(self.inception2c(self.inception2b(self.inception2a(x))))
        x = self.inception3b(self.inception3a(self.downsample2(x)))
        return self.fc(x.mean((2, 3)))


def build(name, shape, classes):
    c, h, w = shape
    models = {
        'mlp-1x512': lambda: mlp(c * h * w, [512], classes),
        'mlp-3x512': lambda: mlp(c * h * w, [512, 512, 512], classes),
        'alexnet': lambda: alexnet(c, h, classes),
        'inception': lambda: InceptionSmall(c, classes),
    }
    if name not in models:
        raise SystemExit(f'error: unknown model {name}; use {", ".join(models)}.')
    return models[name]()


# ---------------------------------------------------------------------------------------------- loop

@torch.inference_mode()
def evaluate(model, x, y, batch):
    model.eval()
    loss, correct = 0.0, 0
    for i in range(0, len(x), batch):
        out = model(x[i:i + batch])
        loss += F.cross_entropy(out, y[i:i + batch], reduction='sum').item()
        correct += (out.argmax(1) == y[i:i + batch]).sum().item()
    model.train()
    return correct / len(x), loss / len(x)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--dataset', default='fashion-mnist')
    p.add_argument('--data-dir')
    p.add_argument('--device', default='cpu')
    p.add_argument('--model', default='mlp-1x512')
    p.add_argument('--train-size', type=int, default=10000)
    p.add_argument('--test-size', type=int, default=0, help='0: the whole test set')
    p.add_argument('--epochs', type=int, default=5)
    p.add_argument('--until-fit', action='store_true', help='stop once the whole training set is fit')
    p.add_argument('--batch-size', type=int, default=128)
    p.add_argument('--eval-batch-size', type=int, default=256)
    p.add_argument('--lr', type=float, help='default: 0.1 for inception, 0.01 otherwise (the paper)')
    p.add_argument('--lr-decay', type=float, default=0.95)
    p.add_argument('--decay-every', type=int, default=50000, help='training samples per decay step')
    p.add_argument('--momentum', type=float, default=0.9)
    p.add_argument('--label-noise', type=float, default=0.0)
    p.add_argument('--seed', type=int, default=1)
    a = p.parse_args()
    if 'OMP_NUM_THREADS' in os.environ:
        torch.set_num_threads(int(os.environ['OMP_NUM_THREADS']))
    lr0 = a.lr if a.lr is not None else (0.1 if a.model.startswith('inception') else 0.01)
    dev = torch.device(a.device)

    xtr, ytr, xte, yte, classes = prepare(a)
    xtr, ytr, xte, yte = xtr.to(dev), ytr.to(dev), xte.to(dev), yte.to(dev)
    torch.manual_seed(derive(a.seed, 'init'))
    model = build(a.model, tuple(xtr.shape[1:]), classes).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=lr0, momentum=a.momentum)
    n = len(xtr)
    evaluate(model, xtr, ytr, a.eval_batch_size)                      # epoch 0, outside the clock (as Shatter)
    evaluate(model, xte, yte, a.eval_batch_size)

    start = time.perf_counter()
    steps, samples, steps_to_fit, epoch = 0, 0, None, 0
    for epoch in range(1, a.epochs + 1):
        order = torch.randperm(n, generator=generator(derive(a.seed, f'order/{epoch}'))).to(dev)
        torch.manual_seed(derive(a.seed, f'dropout/{epoch}'))
        model.train()
        for i in range(0, n, a.batch_size):
            for group in opt.param_groups:
                group['lr'] = lr0 * a.lr_decay ** (samples // a.decay_every)
            idx = order[i:i + a.batch_size]
            opt.zero_grad()
            F.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
            steps += 1
            samples += len(idx)
        train_acc, _ = evaluate(model, xtr, ytr, a.eval_batch_size)
        test_acc, _ = evaluate(model, xte, yte, a.eval_batch_size)
        if train_acc >= 1.0 and steps_to_fit is None:
            steps_to_fit = steps
            if a.until_fit:
                break
    if dev.type == 'cuda':
        torch.cuda.synchronize()
    wall = time.perf_counter() - start
    print(json.dumps({
        'reference': f'pytorch {torch.__version__}', 'threads': torch.get_num_threads(), 'model': a.model,
        'parameters': sum(q.numel() for q in model.parameters()), 'dataset': a.dataset, 'device': str(dev),
        'train_size': n, 'test_size': len(xte), 'epochs': epoch, 'steps': steps, 'steps_to_fit': steps_to_fit,
        'wall_seconds': round(wall, 3), 'train_samples_per_second': round(samples / wall, 1),
        'train_accuracy': train_acc, 'test_accuracy': test_acc}))


if __name__ == '__main__':
    main()
