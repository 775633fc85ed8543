#!/usr/bin/env bash
# Side-by-side autodiff, training and transformer timings: `hyperkron bench-autodiff` /
# `bench-training` / `bench-transformer` against bench/scripts/torch_autodiff.py /
# torch_training.py / torch_transformer.py (PyTorch, same computations, same
# warm-up and median methodology), in one run. Each round runs the Java side, then the PyTorch
# side, each measuring every thread count in-process; the table shows the median over rounds of
# each side's figure and, as the ratio, the median of the per-round ratios Hyperkron / PyTorch
# (below 1: Hyperkron is faster). "best" rows take, per round and side, the faster thread count.
#
# Usage: bench/scripts/compare-torch.sh [--rounds N] [--reps R] [--threads 1,2] [--clock wall|thread]
#                                       [--warmup-seconds S] [autodiff] [training] [transformer]
# (default: 3 rounds of the autodiff and training suites, wall clock; the transformer suite, the
# 6-layer BERT of all-MiniLM-L6-v2 at batch 32 x 48 tokens, takes minutes per round: name it).
# On a loaded machine, --clock thread --threads 1 compares CPU time of the calling thread, which
# is the whole cost at 1 thread on both sides.
# Environment: PYTHON (default /usr/bin/python3 if present), HYPERKRON (default: the ./hyperkron
# launcher, which builds the project on first use).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
hyperkron=${HYPERKRON:-$root/hyperkron}
python_bin=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3 || true)}
rounds=3
common=()
suites=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --reps|--threads|--warmup-seconds|--warmup-runs|--clock) common+=("$1" "$2"); shift 2 ;;
    autodiff|training|transformer) suites+=("$1"); shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-torch.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#suites[@]} -gt 0 ] || suites=(autodiff training)

torch_ok=0
if [ -n "$python_bin" ] && "$python_bin" -c 'import torch' 2>/dev/null; then
  torch_ok=1
else
  echo "PyTorch is not importable (python: ${python_bin:-none}): showing the Hyperkron side only" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for round in $(seq 1 "$rounds"); do
  for suite in "${suites[@]}"; do
    echo "round $round/$rounds: $suite" >&2
    "$hyperkron" "bench-$suite" --tsv "${common[@]}" 2>/dev/null | sed "s/^/hyperkron $round /" >> "$work/results"
    if [ "$torch_ok" = 1 ]; then
      "$python_bin" "$root/bench/scripts/torch_$suite.py" --tsv "${common[@]}" | sed "s/^/pytorch $round /" >> "$work/results"
    fi
  done
done

echo "# $(java -version 2>&1 | head -1); PyTorch $( [ "$torch_ok" = 1 ] && "$python_bin" -c 'import torch; print(torch.__version__)' || echo missing)"
echo "# median of $rounds rounds; ratio = median over rounds of Hyperkron / PyTorch"
# Input lines: side round figure threads value unit (fields separated by spaces and tabs).
awk '
  function median(list,    n, v, i, j, t) {
    n = split(list, v, " ")
    if (n == 0) return ""
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  function fmt(x) { return x == "" ? "-" : (x >= 100 ? sprintf("%.0f", x) : sprintf("%.3f", x)) }
  function row(name, t, unit, side_values, ratios) {
    printf "%-20s %7s %6s %11s %11s %7s\n", name, t, unit, fmt(median(side_values["hyperkron"])),
      fmt(median(side_values["pytorch"])), ratios == "" ? "-" : sprintf("%.2f", median(ratios))
  }
  {
    side = $1; round = $2; fig = $3; t = $4
    value[side, round, fig, t] = $5; unit[fig] = $6
    if (!((fig, t) in seen)) { seen[fig, t] = 1; order[++count] = fig SUBSEP t }
    if (!(fig in figseen)) { figseen[fig] = 1; figs[++nfigs] = fig }
    if (!(t in tseen)) { tseen[t] = 1; threads[++nthreads] = t }
    if (round > rounds) rounds = round
  }
  END {
    printf "%-20s %7s %6s %11s %11s %7s\n", "figure", "threads", "unit", "hyperkron", "pytorch", "ratio"
    for (i = 1; i <= count; i++) {
      split(order[i], key, SUBSEP); fig = key[1]; t = key[2]
      delete vals; r = ""
      for (round = 1; round <= rounds; round++) {
        for (s = 0; s < 2; s++) {
          side = s ? "pytorch" : "hyperkron"
          if ((side, round, fig, t) in value) vals[side] = vals[side] " " value[side, round, fig, t]
        }
        if (("pytorch", round, fig, t) in value && value["pytorch", round, fig, t] > 0)
          r = r " " value["hyperkron", round, fig, t] / value["pytorch", round, fig, t]
      }
      row(fig, t, unit[fig], vals, r)
    }
    # Per round and side: the faster thread count of each time figure, and the HVP / gradient cost ratio.
    for (f = 1; f <= nfigs; f++) {
      fig = figs[f]
      if (unit[fig] != "ms") continue
      delete vals; r = ""
      for (round = 1; round <= rounds; round++) {
        delete best
        for (s = 0; s < 2; s++) {
          side = s ? "pytorch" : "hyperkron"
          for (ti = 1; ti <= nthreads; ti++) if ((side, round, fig, threads[ti]) in value) {
            x = value[side, round, fig, threads[ti]]
            if (!(side in best) || x < best[side]) best[side] = x
          }
          if (side in best) vals[side] = vals[side] " " best[side]
        }
        if (("pytorch" in best) && best["pytorch"] > 0) r = r " " best["hyperkron"] / best["pytorch"]
      }
      row(fig, "best", "ms", vals, r)
    }
    for (ti = 1; ti <= nthreads; ti++) {
      t = threads[ti]; delete vals; r = ""
      for (round = 1; round <= rounds; round++) for (s = 0; s < 2; s++) {
        side = s ? "pytorch" : "hyperkron"
        if ((side, round, "mlp.hvp", t) in value && value[side, round, "mlp.gradient", t] > 0)
          vals[side] = vals[side] " " value[side, round, "mlp.hvp", t] / value[side, round, "mlp.gradient", t]
      }
      if (vals["hyperkron"] != "" || vals["pytorch"] != "") row("hvp/gradient", t, "x", vals, "")
    }
  }' "$work/results"
