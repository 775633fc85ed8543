"""PyTorch CUDA side of bench/scripts/gpu-check.sh: GEMM throughput (float32 without and with TF32,
float64) at the sizes given, timed with CUDA events (median of repetitions after warm-up), and the
784-256-10 MLP (ReLU, mean cross-entropy, batch 128, float32, on the GPU) as `hyperkron bench-autodiff`
and torch_autodiff.py define it: forward+backward (mlp.gradient), Hessian-vector product (mlp.hvp),
and an inner SGD step (gradient + in-place update), each synchronized per call.

Usage: python3 bench/scripts/torch_gpu.py [--sizes 1024,2048,4096,8192] [--reps 50]
Prints TSV lines: gemm <variant> <n> <ms> <GFLOP/s>  and  mlp <figure> <ms>.
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F

IN, HIDDEN, CLASSES, BATCH = 784, 256, 10, 128


def gemm(n, dtype, tf32, reps):
    torch.backends.cuda.matmul.allow_tf32 = tf32
    g = torch.Generator(device="cuda").manual_seed(n)
    a = torch.randn(n, n, device="cuda", dtype=dtype, generator=g)
    b = torch.randn(n, n, device="cuda", dtype=dtype, generator=g)
    for _ in range(3):
        torch.mm(a, b)
    times = []
    for _ in range(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        torch.mm(a, b)
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    ms = statistics.median(times)
    return ms, 2.0 * n ** 3 / (ms * 1e6)


def median_ms(fn, reps, warmup=20):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append(1e3 * (time.perf_counter() - t0))
    return statistics.median(times)


def mlp(reps):
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(IN, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, CLASSES)).cuda()
    params = list(model.parameters())
    v = [torch.randn_like(p) for p in params]
    x = torch.randn(BATCH, IN, device="cuda")
    y = torch.randint(0, CLASSES, (BATCH,), device="cuda")

    def gradient():
        return torch.autograd.grad(F.cross_entropy(model(x), y), params)

    def hvp():
        g = torch.autograd.grad(F.cross_entropy(model(x), y), params, create_graph=True)
        return torch.autograd.grad(sum((gi * vi).sum() for gi, vi in zip(g, v)), params)

    def sgd_step():
        grads = gradient()
        with torch.no_grad():
            for p, g in zip(params, grads):
                p.sub_(0.1 * g)

    for name, fn in (("mlp.gradient", gradient), ("mlp.hvp", hvp), ("mlp.sgd_step", sgd_step)):
        print("mlp\t%s\t%.4f" % (name, median_ms(fn, reps)))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="1024,2048,4096,8192")
    p.add_argument("--reps", type=int, default=50)
    args = p.parse_args()
    print("# torch %s, %s" % (torch.__version__, torch.cuda.get_device_name()))
    for n in (int(s) for s in args.sizes.split(",")):
        for variant, dtype, tf32 in (("torch-f32", torch.float32, False), ("torch-tf32", torch.float32, True),
                                     ("torch-f64", torch.float64, False)):
            ms, gflops = gemm(n, dtype, tf32, max(5, min(args.reps, int(2e12 / (2.0 * n ** 3)))))
            print("gemm\t%s\t%d\t%.4f\t%.1f" % (variant, n, ms, gflops))
    torch.backends.cuda.matmul.allow_tf32 = False
    mlp(args.reps)


if __name__ == "__main__":
    main()
