#!/usr/bin/env bash
# One prepared run of issue 14's server figures on a many-core machine that has PyTorch and numpy
# but no JDK or Maven (the GPU machine's host), Hyperkron beside its peer on the same cores:
#   1. F32 GEMM on GemmSideBySide's shapes against torch.matmul on the CPU (gemm_numpy.py --torch);
#   2. the symmetric eigendecomposition (EighSideBySide) against numpy.linalg.eigh (LAPACK);
#   3. the training steps of the MLP 784-256-10 and LeNet (bench-training) against torch_training.py;
#   4. AID-KFAC-MC outer steps of the MLP at batch 128, T = 10 (bench-bilevel: inner phase and
#      hypergradient) against torch_aid_kfac.py, on random 784-feature IDX data.
# Each section ends with a table; "ratio" is Hyperkron / peer: for GFLOP/s above 1 means
# Hyperkron is faster, for times below 1 does. The AID step's summary takes each side's best
# thread count, as the issue's targets do.
#
# Usage: bench/scripts/server-check.sh --java JDK_DIR --bench-classpath DIR [--out DIR]
#                                      [--threads 1,4,N] [--seconds S] [--python python3]
#   JDK_DIR   a JDK 17+ with jdk.incubator.vector (gpu-bundle.sh --jdk packs a jlinked one)
#   DIR       the jars of hyperkron-bench and its dependencies (gpu-bundle.sh's bench/)
#   N         the machine's cores (nproc) by default; S seconds per GEMM/eigh timing (default 1)
set -uo pipefail

java_home="" bench_classpath="" out="${OUT:-./server-check-out}" threads="1,4,$(nproc)" seconds=1
python_bin=${PYTHON:-python3}
while [ $# -gt 0 ]; do
  case "$1" in
    --java) java_home=$2; shift 2 ;;
    --bench-classpath) bench_classpath=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --python) python_bin=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "server-check.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -x "$java_home/bin/java" ] || { echo "server-check.sh: no JDK at '$java_home' (--java)" >&2; exit 2; }
[ -d "$bench_classpath" ] || { echo "server-check.sh: no class path folder '$bench_classpath' (--bench-classpath)" >&2; exit 2; }
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
java=("$java_home/bin/java" --add-modules jdk.incubator.vector -Djava.awt.headless=true -cp "$bench_classpath/*")
max_threads=${threads##*,}
status=0

# Joins "key threads value" lines of Hyperkron ($1) and its peer ($2) into a table with the ratio.
side_by_side() {
  awk -v unit="$3" 'FNR == NR { mine[$1 " " $2] = $3; if (!(($1 " " $2) in seen)) { seen[$1 " " $2] = 1; order[++n] = $1 " " $2 }; next }
    { peer[$1 " " $2] = $3 }
    END {
      printf "%-14s %7s %12s %12s %7s\n", "what", "threads", "hyperkron", "peer", "ratio"
      for (i = 1; i <= n; i++) {
        k = order[i]; split(k, part, " ")
        other = (k in peer) ? sprintf("%.3f", peer[k]) : "-"
        ratio = ((k in peer) && (peer[k] + 0 > 0)) ? sprintf("%.2f", mine[k] / peer[k]) : "-"
        printf "%-14s %7s %12.3f %12s %7s\n", part[1], part[2], mine[k], other, ratio
      }
      printf "(%s)\n", unit
    }' "$1" "$2"
}

echo "== machine"
{ nproc; grep -m1 'model name' /proc/cpuinfo; "$java_home/bin/java" -version 2>&1 | head -1
  "$python_bin" -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__)' 2>&1; } \
  | tee "$out/machine.txt"

echo "== F32 GEMM: GemmSideBySide vs torch.matmul, threads $threads"
"${java[@]}" dev.hyperkron.bench.GemmSideBySide --list > "$out/gemm-shapes.txt" 2>> "$out/java.log" || status=1
"${java[@]}" dev.hyperkron.bench.GemmSideBySide --threads "$threads" --seconds "$seconds" 2>> "$out/java.log" \
  | grep -v '^#' | tee "$out/gemm-hyperkron.txt"
: > "$out/gemm-torch.txt"
for t in ${threads//,/ }; do
  "$python_bin" "$here/gemm_numpy.py" "$seconds" --torch "$t" < "$out/gemm-shapes.txt" | tee -a "$out/gemm-torch.txt"
done
side_by_side "$out/gemm-hyperkron.txt" "$out/gemm-torch.txt" "GFLOP/s; ratio above 1: Hyperkron faster" \
  | tee "$out/gemm.txt"

echo "== eigendecomposition (F64): EighSideBySide vs numpy.linalg.eigh, threads 1,$max_threads"
"${java[@]}" dev.hyperkron.bench.EighSideBySide --threads "1,$max_threads" --seconds "$seconds" 256 512 785 1024 \
  2>> "$out/java.log" | tee "$out/eigh-hyperkron.txt"
: > "$out/eigh-numpy.txt"
for t in 1 "$max_threads"; do
  OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t \
    "$python_bin" "$here/eigh_numpy.py" "$seconds" 256 512 785 1024 | tee -a "$out/eigh-numpy.txt"
done
side_by_side "$out/eigh-hyperkron.txt" "$out/eigh-numpy.txt" "ms per call; ratio below 1: Hyperkron faster" \
  | tee "$out/eigh.txt"

echo "== training steps: bench-training vs torch_training.py, threads $threads"
"${java[@]}" dev.hyperkron.bench.HyperkronCli bench-training --threads "$threads" --reps 30 --warmup-seconds 3 --tsv \
  2>> "$out/java.log" | tee "$out/train-hyperkron.tsv"
(cd "$here" && "$python_bin" torch_training.py --threads "$threads" --reps 30 --tsv 2>&1) | tee "$out/train-torch.tsv"
side_by_side <(grep '^train\.' "$out/train-hyperkron.tsv") <(grep '^train\.' "$out/train-torch.tsv") \
  "ms per step; ratio below 1: Hyperkron faster" | tee "$out/train.txt"

echo "== AID-KFAC-MC outer steps: bench-bilevel vs torch_aid_kfac.py, threads $threads"
idx="$out/random-idx"
"$python_bin" "$here/random_idx.py" "$idx" || status=1
"${java[@]}" dev.hyperkron.bench.HyperkronCli bench-bilevel --data "idx:$idx" --method aid-kfac-mc \
  --threads "$threads" --warmup 10 --steps 20 --out "$out/bilevel-hyperkron" 2>> "$out/java.log" | tail -n 3
"$python_bin" "$here/torch_aid_kfac.py" --data-dir "$idx" --threads "$threads" --warmup 10 --steps 20 \
  > "$out/bilevel-torch.csv" 2>&1 || status=1
{ tail -n +2 "$out/bilevel-hyperkron/bench-bilevel.csv" | awk -F, '{ print "hyperkron", $3, $5, $6, $7 }'
  grep -E '^[0-9]' "$out/bilevel-torch.csv" | awk -F, '{ print "pytorch", $1, $3, $4, $5 }'; } \
  | awk '{ printf "%-10s %7s %9.1f %9.1f %12.1f\n", $1, $2, 1000 * $3, 1000 * $4, 1000 * $5
           if (!($1 in best) || $3 < best[$1]) { best[$1] = $3; bi[$1] = $4; bh[$1] = $5; bt[$1] = $2 } }
         END { if (("hyperkron" in best) && ("pytorch" in best))
                 printf "best thread counts %s / %s: ratio Hyperkron / PyTorch: step %.2f, inner %.2f, hypergradient %.2f\n",
                   bt["hyperkron"], bt["pytorch"], best["hyperkron"] / best["pytorch"], bi["hyperkron"] / bi["pytorch"],
                   bh["hyperkron"] / bh["pytorch"] }' \
  | { printf "%-10s %7s %9s %9s %12s\n" side threads "step ms" "inner ms" "hypergrad ms"; cat; } | tee "$out/bilevel.txt"
[ -s "$out/bilevel-hyperkron/bench-bilevel.csv" ] || status=1

grep -v 'incubator modules' "$out/java.log" >&2 || true
echo "== summary"
cat "$out/machine.txt" "$out/gemm.txt" "$out/eigh.txt" "$out/train.txt" "$out/bilevel.txt" > "$out/summary.txt"
cat "$out/summary.txt"
exit $status
