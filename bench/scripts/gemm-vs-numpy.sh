#!/usr/bin/env bash
# Side-by-side F32 GEMM throughput: Hyperkron's kernels (GemmSideBySide) against numpy's matmul
# (OpenBLAS sgemm) on the same shapes and thread counts, in one run. Each round times the Java
# side, then numpy once per thread count; the table shows medians over the rounds, and the
# ratio column is the median of the per-round ratios Java / numpy.
#
# Usage: bench/scripts/gemm-vs-numpy.sh [--rounds N] [--seconds S] [--threads 1,2] [--idle-wait S]
#                                       [shapes...]
# Shapes: names (square1024, mlp-fc1-xWt, ...; all of them by default) or MxNxK with -tn, -nt or
# -tt for transposed operands (256x785x785, 6x25x576-nt).
# --idle-wait S: before each round, wait up to S seconds for the CPUs to be 90% idle over 3 s
# (on a shared machine a busy neighbour delays the second thread of every product).
# Environment: JAVA (default: java on the PATH), PYTHON (default: /usr/bin/python3 if present).
# Build first: ./mvnw -B -q -pl bench -am package -DskipTests
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
java_bin=${JAVA:-java}
python_bin=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3 || true)}
rounds=3
seconds=1.0
threads=1,2
idle_wait=0
shapes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --idle-wait) idle_wait=$2; shift 2 ;;
    *) shapes+=("$1"); shift ;;
  esac
done

classes="$root/bench/target/classes:$root/core/target/classes"
if [ ! -f "$root/bench/target/classes/dev/hyperkron/bench/GemmSideBySide.class" ]; then
  echo "bench classes not found: build with ./mvnw -B -q -pl bench -am package -DskipTests" >&2
  exit 1
fi
java_cmd=("$java_bin" --add-modules jdk.incubator.vector -cp "$classes" dev.hyperkron.bench.GemmSideBySide)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! "${java_cmd[@]}" --list "${shapes[@]}" 2> "$work/list-errors" > "$work/shapes"; then
  grep -v '^WARNING' "$work/list-errors" >&2
  exit 2
fi

numpy_ok=0
if [ -n "$python_bin" ] && "$python_bin" -c 'import numpy' 2>/dev/null; then
  numpy_ok=1
else
  echo "numpy not available (python: ${python_bin:-none}): showing the Java side only" >&2
fi

# Waits until the CPUs were at least 90% idle over 3 seconds, or gives up after $1 seconds.
wait_for_idle() {
  local deadline=$(( $(date +%s) + $1 )) t1 i1 t2 i2
  while :; do
    read -r _ u n s i w x y z _ < /proc/stat; t1=$((u + n + s + i + w + x + y + z)); i1=$((i + w))
    sleep 3
    read -r _ u n s i w x y z _ < /proc/stat; t2=$((u + n + s + i + w + x + y + z)); i2=$((i + w))
    if [ $(( 100 * (i2 - i1) / (t2 - t1) )) -ge 90 ]; then return 0; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then echo "machine still busy: measuring anyway" >&2; return 0; fi
  done
}

for round in $(seq 1 "$rounds"); do
  echo "round $round/$rounds" >&2
  if [ "$idle_wait" != 0 ] && [ -r /proc/stat ]; then wait_for_idle "$idle_wait"; fi
  "${java_cmd[@]}" --threads "$threads" --seconds "$seconds" "${shapes[@]}" 2>/dev/null \
    | grep -v '^#' | sed "s/^/java $round /" >> "$work/results"
  if [ "$numpy_ok" = 1 ]; then
    for t in ${threads//,/ }; do
      # Without the core-type overrides some machines set: compare with OpenBLAS's best kernel.
      env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t "$python_bin" "$root/bench/scripts/gemm_numpy.py" "$seconds" \
        < "$work/shapes" | sed "s/^/numpy $round /" >> "$work/results"
    done
  fi
done

echo "# $("$java_bin" -version 2>&1 | head -1); median of $rounds rounds; GFLOP/s"
awk -v rounds="$rounds" -v threads="$threads" '
  function median(list,    n, v, i, j, t) {
    n = split(list, v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    if (n == 0) return ""
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  FNR == NR { shape[++count] = $1; next }
  { value[$1, $2, $3 " " $4] = $5 }
  END {
    printf "%-12s %7s %10s %10s %7s\n", "shape", "threads", "java", "numpy", "ratio"
    nt = split(threads, thread, ",")
    for (s = 1; s <= count; s++) for (ti = 1; ti <= nt; ti++) {
      t = thread[ti]; key = shape[s] " " t; j = ""; np = ""; r = ""
      for (round = 1; round <= rounds; round++) {
        if ((("java", round, key) in value)) j = j " " value["java", round, key]
        if ((("numpy", round, key) in value)) {
          np = np " " value["numpy", round, key]
          r = r " " value["java", round, key] / value["numpy", round, key]
        }
      }
      if (j == "") continue
      printf "%-12s %7s %10.1f %10s %7s\n", shape[s], t, median(j),
        np == "" ? "-" : sprintf("%.1f", median(np)), r == "" ? "-" : sprintf("%.2f", median(r))
    }
  }' "$work/shapes" "$work/results"
