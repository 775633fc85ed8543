#!/usr/bin/env bash
# Side-by-side symmetric eigendecomposition: Hyperkron's SymmetricEigen (JMH LinalgBenchmark,
# average time) against numpy.linalg.eigh (LAPACK dsyevd from OpenBLAS, F64) on the same kind
# of SPD matrix, sizes and thread counts, in one run. Each round runs JMH for each thread count,
# then numpy; the table shows medians over the rounds, and the ratio column is the median of
# the per-round ratios Hyperkron / numpy (time: below 1 means Hyperkron is faster).
#
# Usage: bench/scripts/eigh-vs-numpy.sh [--rounds N] [--threads 1,2] [--sizes 256,512,785,1024]
#                                       [--seconds S]
# Environment: JAVA (default: java on the PATH), PYTHON (default: /usr/bin/python3 if present).
# Build first: ./mvnw -B -q -pl bench -am package -DskipTests
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
java_bin=${JAVA:-java}
python_bin=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3 || true)}
rounds=3
threads=1,2
sizes=256,512,785,1024
seconds=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if [ ! -f "$root/bench/target/classes/META-INF/BenchmarkList" ]; then
  echo "bench classes not found: build with ./mvnw -B -q -pl bench -am package -DskipTests" >&2
  exit 1
fi
numpy_ok=0
if [ -n "$python_bin" ] && "$python_bin" -c 'import numpy' 2>/dev/null; then
  numpy_ok=1
else
  echo "numpy not available (python: ${python_bin:-none}): showing the Java side only" >&2
fi

jmh_time="$(awk -v s="$seconds" 'BEGIN { printf "%dms", s * 1000 }')"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for round in $(seq 1 "$rounds"); do
  echo "round $round/$rounds" >&2
  for t in ${threads//,/ }; do
    "$java_bin" --add-modules jdk.incubator.vector -cp "$root/bench/target/classes:$root/bench/target/lib/*" \
      org.openjdk.jmh.Main 'LinalgBenchmark.eigendecomposition$' -p n="$sizes" -f 1 -wi 5 -w "$jmh_time" \
      -i 5 -r "$jmh_time" -jvmArgsAppend "-Dhyperkron.threads=$t" -rf csv -rff "$work/jmh.csv" > /dev/null 2>&1
    # "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: n"
    tail -n +2 "$work/jmh.csv" | tr -d '"\r' | awk -F, -v t="$t" -v r="$round" '{ print "java", r, $8, t, $5 }' \
      >> "$work/results"
    if [ "$numpy_ok" = 1 ]; then
      # Without the core-type overrides some machines set: compare with OpenBLAS's best kernels.
      env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" \
        "$python_bin" "$root/bench/scripts/eigh_numpy.py" "$seconds" ${sizes//,/ } \
        | awk -v r="$round" '{ print "numpy", r, $1, $2, $3 }' >> "$work/results"
    fi
  done
done

echo "# $("$java_bin" -version 2>&1 | head -1); median of $rounds rounds; ms per decomposition"
awk -v rounds="$rounds" -v threads="$threads" -v sizes="$sizes" '
  function median(list,    n, v, i, j, t) {
    n = split(list, v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    if (n == 0) return ""
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  { value[$1, $2, $3 " " $4] = $5 }
  END {
    printf "%-6s %7s %10s %10s %7s\n", "n", "threads", "java", "numpy", "ratio"
    ns = split(sizes, size, ","); nt = split(threads, thread, ",")
    for (s = 1; s <= ns; s++) for (ti = 1; ti <= nt; ti++) {
      key = size[s] " " thread[ti]; j = ""; np = ""; r = ""
      for (round = 1; round <= rounds; round++) {
        if ((("java", round, key) in value)) j = j " " value["java", round, key]
        if ((("numpy", round, key) in value)) {
          np = np " " value["numpy", round, key]
          r = r " " value["java", round, key] / value["numpy", round, key]
        }
      }
      if (j == "") continue
      printf "%-6s %7s %10.2f %10s %7s\n", size[s], thread[ti], median(j),
        np == "" ? "-" : sprintf("%.2f", median(np)), r == "" ? "-" : sprintf("%.2f", median(r))
    }
  }' "$work/results"
