#!/usr/bin/env bash
# Side-by-side time per outer step of AID-KFAC (MC Fisher, 1 sample, heuristic damping) on data
# hypercleaning with an MLP 784-256-10 on Fashion-MNIST (64-256-10 on digits / random data when
# Fashion-MNIST is not installed): Hyperkron (`hyperkron bench-bilevel --method aid-kfac-mc`)
# against the same algorithm in PyTorch (torch_aid_kfac.py), same sizes and settings, in one run.
# Each round runs the Java side, then PyTorch once per thread count. The table shows medians over
# the rounds of each side's median step time; the summary takes each side's best thread count and
# gives the ratio Hyperkron / PyTorch (below 1: Hyperkron is faster).
#
# Usage: bench/scripts/compare-bilevel-torch.sh [--rounds N] [--steps N] [--warmup N] [--threads 1,2]
#                                               [--torch-args "..."] [--java-args "..."]
# Environment: PYTHON (default: /usr/bin/python3 if present). PyTorch runs with
# OMP_WAIT_POLICY=PASSIVE unless set: on a loaded shared machine, OpenMP's spin-waiting makes its
# 2-thread runs 10-40x slower, which would flatter Hyperkron.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
python_bin=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3 || true)}
rounds=3
steps=20
# Ten warm-up outer steps (100 inner steps) let C2 compile the Java side's kernels; fewer leave
# part of the measured steps on interpreted or C1 code. PyTorch gets the same warm-up.
warmup=10
threads=1,2
torch_args=""
java_args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --torch-args) torch_args=$2; shift 2 ;;
    --java-args) java_args=$2; shift 2 ;;
    *) echo "unknown argument: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

torch_ok=0
if [ -n "$python_bin" ] && "$python_bin" -c 'import torch, numpy' 2>/dev/null; then
  torch_ok=1
else
  echo "PyTorch is not available (python: ${python_bin:-none}): showing the Hyperkron side only" >&2
fi
if [ -d /usr/share/datasets/fashion-mnist ]; then data=fashion; features=784; else data=digits; features=64; fi
echo "# data: $data; AID-KFAC-MC, batch 128, T = 10; $rounds round(s) of $warmup warm-up + $steps measured steps" >&2

for round in $(seq 1 "$rounds"); do
  echo "round $round/$rounds: Hyperkron" >&2
  # shellcheck disable=SC2086
  "$root/hyperkron" bench-bilevel --data "$data" --method aid-kfac-mc --threads "$threads" --steps "$steps" \
    --warmup "$warmup" --out "$work/java-$round" $java_args > "$work/java-$round.log" 2>&1 \
    || { cat "$work/java-$round.log" >&2; exit 1; }
  tail -n +2 "$work/java-$round/bench-bilevel.csv" \
    | awk -F, -v r="$round" '{ print "hyperkron", r, $3, $5, $6, $7 }' >> "$work/results"
  if [ "$torch_ok" = 1 ]; then
    for t in ${threads//,/ }; do
      echo "round $round/$rounds: PyTorch, $t thread(s)" >&2
      # shellcheck disable=SC2086
      OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE} "$python_bin" "$root/bench/scripts/torch_aid_kfac.py" \
        --threads "$t" --steps "$steps" --warmup "$warmup" --features "$features" $torch_args 2>> "$work/torch.log" \
        | tail -n +2 | awk -F, -v r="$round" '{ print "pytorch", r, $1, $3, $4, $5 }' >> "$work/results"
    done
  fi
done

head -1 "$work/torch.log" 2>/dev/null || true
awk '
  function median(list,    n, v, i, j, t) {
    n = split(list, v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  { key = $1 " " $3; step[key] = step[key] " " $4; inner[key] = inner[key] " " $5; hyper[key] = hyper[key] " " $6
    if (!(key in seen)) { seen[key] = 1; order[++count] = key } }
  END {
    printf "%-10s %7s %9s %9s %12s\n", "side", "threads", "step ms", "inner ms", "hypergrad ms"
    for (i = 1; i <= count; i++) {
      k = order[i]; split(k, part, " ")
      s = 1000 * median(step[k]); in_ = 1000 * median(inner[k]); h = 1000 * median(hyper[k])
      printf "%-10s %7s %9.1f %9.1f %12.1f\n", part[1], part[2], s, in_, h
      if (!(part[1] in best) || s < best[part[1]]) { best[part[1]] = s; bi[part[1]] = in_; bh[part[1]] = h; bt[part[1]] = part[2] }
    }
    printf "\nbest thread count per side (step ms / inner ms / hypergrad ms):\n"
    for (side in best) printf "  %-10s %s thread(s): %.1f / %.1f / %.1f\n", side, bt[side], best[side], bi[side], bh[side]
    if (("hyperkron" in best) && ("pytorch" in best))
      printf "ratio Hyperkron / PyTorch: step %.2f, inner %.2f, hypergradient %.2f\n",
        best["hyperkron"] / best["pytorch"], bi["hyperkron"] / bi["pytorch"], bh["hyperkron"] / bh["pytorch"]
  }' "$work/results"
