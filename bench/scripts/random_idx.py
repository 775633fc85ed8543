"""Writes random MNIST-shaped IDX files (train 4000, t10k 1000 images of 28x28, 10 classes, gzip)
into a folder, for timing runs on machines without Fashion-MNIST: the time of a step does not
depend on the pixels. `hyperkron bench-bilevel --data idx:DIR` and torch_aid_kfac.py --data-dir
read them.

Usage: random_idx.py DIR
"""
import gzip
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
for part, n in (("train", 4000), ("t10k", 1000)):
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n, dtype=np.uint8)
    with gzip.open(os.path.join(out, part + "-images-idx3-ubyte.gz"), "wb") as f:
        f.write(bytes([0, 0, 8, 3]) + b"".join(d.to_bytes(4, "big") for d in images.shape) + images.tobytes())
    with gzip.open(os.path.join(out, part + "-labels-idx1-ubyte.gz"), "wb") as f:
        f.write(bytes([0, 0, 8, 1]) + n.to_bytes(4, "big") + labels.tobytes())
