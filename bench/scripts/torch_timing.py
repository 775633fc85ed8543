"""Shared helpers of torch_autodiff.py and torch_training.py: the timing methodology of the Java
side (dev.hyperkron.bench.perf.MedianTimer), thread control and the output format.

Timing: every workload is warmed up once before any figure is taken (as the Java side does for
its JIT); then per figure untimed runs for at least --warmup-runs runs and --warmup-seconds seconds
(whichever ends later), then --reps runs each timed on its own (wall clock, or with --clock thread the CPU time of
the calling thread); the median is reported. Output: the tables of the
hyperkron commands, or with --tsv one "figure<TAB>threads<TAB>value<TAB>unit" line per figure.
"""
import argparse
import ctypes
import statistics
import sys
import time

try:
    import torch
except ImportError:
    print("PyTorch is not installed for " + sys.executable + ": skipping the PyTorch side", file=sys.stderr)
    sys.exit(3)


def parse_args(description, extra=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--threads", default="1,2", help="thread counts to measure (default: 1,2)")
    parser.add_argument("--reps", type=int, default=30, help="timed repetitions per figure (default: 30)")
    parser.add_argument("--warmup-runs", type=int, default=10, help="untimed runs, at least (default: 10)")
    parser.add_argument("--warmup-seconds", type=float, default=2.0, help="seconds of untimed runs, at least (default: 2)")
    parser.add_argument("--clock", choices=["wall", "thread"], default="wall",
                        help="wall, or thread: CPU time of the calling thread, steadier on a loaded machine "
                             "and the whole cost at 1 thread only (default: wall)")
    parser.add_argument("--tsv", action="store_true", help="print figure/threads/value/unit lines")
    parser.add_argument("--seed", type=int, default=1, help="seed of parameters and data (default: 1)")
    if extra:
        extra(parser)
    args = parser.parse_args()
    args.threads = [int(t) for t in args.threads.split(",")]
    return args


def warm_up(work, args):
    end = time.perf_counter() + args.warmup_seconds
    runs = 0
    while runs < args.warmup_runs or time.perf_counter() < end:
        work()
        runs += 1


def median_seconds(work, args):
    clock = time.thread_time if args.clock == "thread" else time.perf_counter
    warm_up(work, args)
    times = []
    for _ in range(args.reps):
        start = clock()
        work()
        times.append(clock() - start)
    return statistics.median(times)


_openblas = None


def set_threads(threads):
    """Intra-op threads of PyTorch and of the BLAS it calls (OpenBLAS keeps its own pool)."""
    global _openblas
    torch.set_num_threads(threads)
    if _openblas is None:
        try:
            _openblas = ctypes.CDLL("libopenblas.so.0")
            _openblas.openblas_set_num_threads.argtypes = [ctypes.c_int]
        except OSError:
            _openblas = False
    if _openblas:
        _openblas.openblas_set_num_threads(threads)


def print_tsv(figures):
    for name, threads, value, unit in figures:
        print("%s\t%d\t%.6g\t%s" % (name, threads, value, unit))


def print_table(header, rows):
    width = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda cells: "  ".join(str(c).ljust(width[i]) if i == 0 else str(c).rjust(width[i])
                                   for i, c in enumerate(cells))
    print(line(header))
    print("  ".join("-" * w for w in width))
    for r in rows:
        print(line(r))
