#!/usr/bin/env python3
"""AID-KFAC data hypercleaning in plain PyTorch (1.13, CPU): the reference that
`hyperkron bench-bilevel --method aid-kfac-mc` is compared with (compare-bilevel-torch.sh).

One outer step, as in Hyperkron's ImplicitDifferentiation with IhvpMethods.kfac (MATH.md 1-4):
  inner:   T steps of SGD (momentum 0.9, state kept across outer steps) on
           g = mean_i(w_i CE_i) + (wd/2) ||theta||^2, the batch's weights gathered from a [N]
           vector (detached during the inner steps)
  hypergradient (timed as one phase):
    v      = d f / d theta, f = mean CE on a validation batch
    KFAC   on a curvature batch: forward hooks capture each Linear's input and hook its output
           tensor, whose gradient the backward pass records, for the loss at labels sampled from the model (MC Fisher, 1 sample),
           each example's term scaled by sqrt(w_i); A = mean a~ a~^T with a~ = [a; 1],
           G = mean g g^T; heuristic damping pi = sqrt((tr A / dim A) / (tr G / dim G)) with
           delta = damping + wd; (A + pi sqrt(delta) I)^{-1} and (G + sqrt(delta)/pi I)^{-1} by
           Cholesky (torch.linalg.cholesky + torch.cholesky_inverse)
    q      = G^{-1} V A^{-1} per layer, V = [dW, db] of v
    mixed  m = d/dw <dg/dtheta, q> on a mixed batch by double backward
    hypergradient = -m (f does not depend on w)
  outer:   SGD (momentum 0.9, lr N) on w, clamp to [0, 1] (not timed, as in Hyperkron).

Prints one CSV line per thread count: threads,steps,stepSeconds,innerSeconds,hypergradientSeconds
(medians over the measured steps). Example: /usr/bin/python3 torch_aid_kfac.py --threads 1,2
With --device cuda everything but the batch indices lives on the GPU, and each phase is timed
after torch.cuda.synchronize().
"""
import argparse
import ctypes
import gzip
import os
import statistics
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print("torch_aid_kfac.py: PyTorch/numpy not available for %s (%s)" % (sys.executable, e), file=sys.stderr)
    sys.exit(3)

FASHION_DIR = "/usr/share/datasets/fashion-mnist"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data-dir", default=FASHION_DIR,
                   help="Fashion-MNIST IDX files; if missing, random data with --features features")
    p.add_argument("--features", type=int, default=64, help="input features of the random fallback data")
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--inner-steps", type=int, default=10)
    p.add_argument("--inner-lr", type=float, default=0.1)
    p.add_argument("--weight-decay", type=float, default=1e-3)
    p.add_argument("--damping", type=float, default=1e-3, help="added to the inner L2 coefficient, as in Hyperkron")
    p.add_argument("--train-size", type=int, default=1024)
    p.add_argument("--val-size", type=int, default=384)
    p.add_argument("--noise", type=float, default=0.45)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--device", default="cpu", help="cpu or cuda (cuda:N)")
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def set_threads(threads):
    """torch.set_num_threads, and the same for OpenBLAS (Debian's torch uses it for GEMM and
    LAPACK), whose pool torch does not size: otherwise "1 thread" would still run 2 BLAS threads."""
    torch.set_num_threads(threads)
    with open("/proc/self/maps") as maps:
        libraries = {line.split()[-1] for line in maps if "libopenblas" in line}
    for path in libraries:
        ctypes.CDLL(path).openblas_set_num_threads(threads)


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_data(args, gen):
    """Standardized noisy training set and clean validation set, as float32 tensors."""
    n = args.train_size + args.val_size
    if os.path.isdir(args.data_dir):
        x = read_idx(os.path.join(args.data_dir, "train-images-idx3-ubyte.gz")).reshape(-1, 784)
        y = read_idx(os.path.join(args.data_dir, "train-labels-idx1-ubyte.gz"))
        pick = torch.randperm(len(y), generator=gen)[:n].numpy()
        x = torch.tensor(x[pick], dtype=torch.float32)
        y = torch.tensor(y[pick], dtype=torch.int64)
        source = "fashion-mnist (%s)" % args.data_dir
    else:
        x = torch.randn(n, args.features, generator=gen)
        y = torch.randint(0, 10, (n,), generator=gen)
        source = "random data (%s not found)" % args.data_dir
    x_train, y_train = x[:args.train_size], y[:args.train_size].clone()
    x_val, y_val = x[args.train_size:], y[args.train_size:]
    flip = torch.rand(args.train_size, generator=gen) < args.noise
    shift = torch.randint(1, 10, (args.train_size,), generator=gen)
    y_train[flip] = (y_train[flip] + shift[flip]) % 10
    mean, std = x_train.mean(0), x_train.std(0, unbiased=False)
    std[std == 0] = 1
    return (x_train - mean) / std, y_train, (x_val - mean) / std, y_val, source


class Batches:
    """Endless shuffled batches of indices into a set of the given size (the last one may be smaller)."""

    def __init__(self, size, batch_size, gen):
        self.size, self.batch_size, self.gen = size, batch_size, gen
        self.order, self.at = None, size

    def next(self):
        if self.at >= self.size:
            self.order, self.at = torch.randperm(self.size, generator=self.gen), 0
        idx = self.order[self.at:self.at + self.batch_size]
        self.at += self.batch_size
        return idx


class KfacCapture:
    """While enabled, a forward hook records each Linear's input and hooks its output tensor so
    that the backward pass records the output gradient (no cost while disabled)."""

    def __init__(self, layers):
        self.layers, self.enabled = layers, False
        self.inputs, self.grads = {}, {}
        for layer in layers:
            layer.register_forward_hook(self.forward_hook)

    def forward_hook(self, module, inputs, output):
        if self.enabled:
            self.inputs[module] = inputs[0].detach()
            output.register_hook(lambda grad: self.grads.__setitem__(module, grad.detach()))


def inner_loss(model, params, x, y, w, weight_decay):
    data = (w * F.cross_entropy(model(x), y, reduction="none")).mean()
    return data + 0.5 * weight_decay * sum((p * p).sum() for p in params)


def damped_inverse(m, d):
    eye = torch.eye(m.shape[0], dtype=m.dtype, device=m.device)
    return torch.cholesky_inverse(torch.linalg.cholesky(m + d * eye))


def kfac_ihvp(model, capture, params, x, y, w, v, delta, gen):
    """q = (KFAC + damping)^{-1} v with the MC Fisher (one sample) on one batch."""
    capture.enabled = True
    logits = model(x)
    with torch.no_grad():
        sampled = torch.multinomial(F.softmax(logits, dim=1), 1, generator=gen).squeeze(1)
    # Sum of per-example losses: row n of each output gradient is sqrt(w_n) d l_n / d s_n.
    loss = (w.sqrt() * F.cross_entropy(logits, sampled, reduction="none")).sum()
    torch.autograd.grad(loss, params)
    capture.enabled = False
    n = x.shape[0]
    q = {}
    for layer in capture.layers:
        a = capture.inputs[layer]
        a = torch.cat([a, torch.ones(n, 1, device=a.device)], dim=1)
        g = capture.grads[layer]
        A = a.t() @ a / n
        G = g.t() @ g / n
        pi = ((torch.trace(A) / A.shape[0]) / (torch.trace(G) / G.shape[0])).sqrt().item()
        a_inv = damped_inverse(A, pi * delta ** 0.5)
        g_inv = damped_inverse(G, delta ** 0.5 / pi)
        V = torch.cat([v[layer.weight], v[layer.bias].unsqueeze(1)], dim=1)
        Q = g_inv @ V @ a_inv
        q[layer.weight], q[layer.bias] = Q[:, :-1], Q[:, -1]
    return [q[p] for p in params]


def main():
    args = parse_args()
    gen = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    x_train, y_train, x_val, y_val, source = load_data(args, gen)
    device = torch.device(args.device)
    x_train, y_train, x_val, y_val = (t.to(device) for t in (x_train, y_train, x_val, y_val))
    # Sampling draws on the device of the probabilities, with a generator there.
    sample_gen = gen if device.type == "cpu" else torch.Generator(device=device).manual_seed(args.seed)

    def now():
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        return time.perf_counter()

    features = x_train.shape[1]
    print("# torch %s, %s, MLP %d-%d-10 (ReLU), F32 on %s, batch %d, T = %d, KFAC MC(1) heuristic damping %g"
          % (torch.__version__, source, features, args.hidden, device, args.batch_size, args.inner_steps,
             args.damping + args.weight_decay), file=sys.stderr)
    print("threads,steps,stepSeconds,innerSeconds,hypergradientSeconds")
    for threads in [int(t) for t in args.threads.split(",")]:
        set_threads(threads)
        model = torch.nn.Sequential(torch.nn.Linear(features, args.hidden), torch.nn.ReLU(),
                                    torch.nn.Linear(args.hidden, 10)).to(device)
        params = list(model.parameters())
        layers = [model[0], model[2]]
        capture = KfacCapture(layers)
        weights = torch.full((args.train_size,), 0.5, device=device, requires_grad=True)
        inner_opt = torch.optim.SGD(params, lr=args.inner_lr, momentum=0.9)
        outer_opt = torch.optim.SGD([weights], lr=float(args.train_size), momentum=0.9)
        roles = {r: Batches(args.val_size if r == "outer" else args.train_size, args.batch_size, gen)
                 for r in ("inner", "outer", "curvature", "mixed")}
        delta = args.damping + args.weight_decay
        inner_times, hyper_times = [], []
        for step in range(args.warmup + args.steps):
            start = now()
            for _ in range(args.inner_steps):
                idx = roles["inner"].next()
                loss = inner_loss(model, params, x_train[idx], y_train[idx], weights.detach()[idx], args.weight_decay)
                inner_opt.zero_grad(set_to_none=True)
                loss.backward()
                inner_opt.step()
            inner_done = now()
            idx = roles["outer"].next()
            f = F.cross_entropy(model(x_val[idx]), y_val[idx])
            v = dict(zip(params, torch.autograd.grad(f, params)))
            idx = roles["curvature"].next()
            q = kfac_ihvp(model, capture, params, x_train[idx], y_train[idx], weights.detach()[idx], v, delta, sample_gen)
            idx = roles["mixed"].next()
            g = inner_loss(model, params, x_train[idx], y_train[idx], weights[idx], args.weight_decay)
            dg = torch.autograd.grad(g, params, create_graph=True)
            mixed = torch.autograd.grad(sum((d * qi).sum() for d, qi in zip(dg, q)), weights)[0]
            hypergradient = -mixed
            done = now()
            outer_opt.zero_grad(set_to_none=True)
            weights.grad = hypergradient
            outer_opt.step()
            with torch.no_grad():
                weights.clamp_(0, 1)
            if step >= args.warmup:
                inner_times.append(inner_done - start)
                hyper_times.append(done - inner_done)
        steps = [i + h for i, h in zip(inner_times, hyper_times)]
        print("%d,%d,%.6f,%.6f,%.6f" % (threads, len(steps), statistics.median(steps),
                                        statistics.median(inner_times), statistics.median(hyper_times)), flush=True)


if __name__ == "__main__":
    main()
