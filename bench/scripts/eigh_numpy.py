"""Times numpy.linalg.eigh (LAPACK dsyevd through OpenBLAS) on the matrices LinalgBenchmark uses.

Usage: eigh_numpy.py SECONDS N [N...]. For each size, the SPD matrix Q^T Q / n + 0.1 I of a
Gaussian Q (F64, as Hyperkron decomposes in F64 whatever the input type) is decomposed
repeatedly for SECONDS after a warm-up as long; prints "n threads mean_ms" with the mean time
per call, as JMH's average-time mode reports it. The LAPACK thread count is fixed by
OPENBLAS_NUM_THREADS before start-up.
"""
import os
import sys
import time

try:
    import numpy as np
except ImportError:
    print("numpy is not installed for " + sys.executable + ": skipping the numpy side", file=sys.stderr)
    sys.exit(3)

seconds = float(sys.argv[1])
threads = os.environ.get("OPENBLAS_NUM_THREADS", "?")
rng = np.random.default_rng(1)
for n in map(int, sys.argv[2:]):
    q = rng.standard_normal((n, n))
    a = q.T @ q / n + 0.1 * np.eye(n)
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        np.linalg.eigh(a)
    calls = 0
    start = time.perf_counter()
    while calls < 3 or time.perf_counter() - start < seconds:
        np.linalg.eigh(a)
        calls += 1
    print("%d %s %.3f" % (n, threads, (time.perf_counter() - start) / calls * 1e3), flush=True)
