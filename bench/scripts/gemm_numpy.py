"""Times numpy's float32 matmul (OpenBLAS sgemm), or PyTorch's on the CPU, on GEMM shapes read
from stdin.

Usage: gemm_numpy.py [SECONDS] [--torch THREADS]. Input lines: "name m n k transA transB" (as
printed by GemmSideBySide --list). Output lines: "name threads gflops", best of repeated runs
after a warm-up, timed the same way as GemmSideBySide. numpy's BLAS thread count is fixed by
OPENBLAS_NUM_THREADS before start-up; with --torch, torch.matmul runs on THREADS threads
(torch.set_num_threads), the library issue 14 compares with on a server.
"""
import os
import sys
import time

try:
    import numpy as np
except ImportError:
    print("numpy is not installed for " + sys.executable + ": skipping the numpy side", file=sys.stderr)
    sys.exit(3)

args = sys.argv[1:]
torch = None
if "--torch" in args:
    at = args.index("--torch")
    torch_threads = int(args[at + 1])
    del args[at:at + 2]
    import torch
    torch.set_num_threads(torch_threads)
seconds = float(args[0]) if args else 1.0
threads = str(torch_threads) if torch else os.environ.get("OPENBLAS_NUM_THREADS", "?")
rng = np.random.default_rng(42)
for line in sys.stdin:
    name, m, n, k, trans_a, trans_b = line.split()
    m, n, k = int(m), int(n), int(k)
    trans_a, trans_b = trans_a == "true", trans_b == "true"
    a = rng.uniform(-1, 1, (k, m) if trans_a else (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k) if trans_b else (k, n)).astype(np.float32)
    if torch:
        a, b = torch.from_numpy(a), torch.from_numpy(b)
    op_a = a.T if trans_a else a
    op_b = b.T if trans_b else b
    c = torch.empty((m, n), dtype=torch.float32) if torch else np.empty((m, n), dtype=np.float32)
    matmul = torch.matmul if torch else np.matmul
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        matmul(op_a, op_b, out=c)
    best = float("inf")
    reps = 0
    end = time.perf_counter() + seconds
    while reps < 3 or time.perf_counter() < end:
        start = time.perf_counter()
        matmul(op_a, op_b, out=c)
        best = min(best, time.perf_counter() - start)
        reps += 1
    print("%s %s %.2f" % (name, threads, 2.0 * m * n * k / best / 1e9), flush=True)
