#!/usr/bin/env python3
"""Writes a few Fashion-MNIST images as the two image formats a user brings their own data in, for the README's examples.

    python3 experiments/examples/user_data.py                  # -> results/user-images/{train,test}/<class>/*.png
                                                               #    and results/user-arrays.npz
    python3 experiments/examples/user_data.py --train 500 --test 200 --out DIR

- DIR/user-images: torchvision's ImageFolder tree (--dataset folder:DIR/user-images), one grey PNG per image, the
  class folders named after Fashion-MNIST's classes;
- DIR/user-arrays.npz: np.savez(x_train, y_train, x_test, y_test) with uint8 (N, 28, 28) images and int64 labels
  (--dataset npz:DIR/user-arrays.npz).

Reads the IDX files of Debian's dataset-fashion-mnist (scripts/setup.sh installs it); needs only NumPy, and writes
PNGs with zlib (no imaging package), so that Shatter's decoder (SkiaSharp) is what reads them back. The first --train
training and --test test images are taken, in the files' order.
"""
import argparse
import gzip
import os
import struct
import zlib

import numpy as np

CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]
SOURCE = "/usr/share/datasets/fashion-mnist"


def idx(name: str, offset: int) -> np.ndarray:
    """The bytes of an IDX file after its header (16 bytes for images, 8 for labels)."""
    with gzip.open(os.path.join(SOURCE, name)) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def png(path: str, image: np.ndarray) -> None:
    """A grey 8-bit PNG of a (H, W) uint8 image: signature, IHDR, one IDAT of unfiltered rows, IEND."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    h, w = image.shape
    rows = b"".join(b"\x00" + image[r].tobytes() for r in range(h))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=1000)
    parser.add_argument("--test", type=int, default=500)
    parser.add_argument("--out", default="results")
    a = parser.parse_args()
    x_train = idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)[: a.train]
    y_train = idx("train-labels-idx1-ubyte.gz", 8)[: a.train].astype(np.int64)
    x_test = idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)[: a.test]
    y_test = idx("t10k-labels-idx1-ubyte.gz", 8)[: a.test].astype(np.int64)

    folder = os.path.join(a.out, "user-images")
    for split, xs, ys in (("train", x_train, y_train), ("test", x_test, y_test)):
        for i, (x, y) in enumerate(zip(xs, ys)):
            d = os.path.join(folder, split, CLASSES[y])
            os.makedirs(d, exist_ok=True)
            png(os.path.join(d, f"{i:05d}.png"), x)
    arrays = os.path.join(a.out, "user-arrays.npz")
    np.savez(arrays, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    print(f"{len(x_train)} training and {len(x_test)} test images: {folder} (PNG per image) and {arrays}")


if __name__ == "__main__":
    main()
