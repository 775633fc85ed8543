#!/usr/bin/env bash
# One prepared run of the CUDA backend's checks on a machine with an NVIDIA GPU (issue 15):
#   1. the GPU test suites (core's kernel contract on the CUDA kernels, cuBLAS GEMM, cuSOLVER,
#      device residency, kernel selection), without Maven;
#   2. GEMM throughput: cuBLAS through Hyperkron (device-resident and through the array SPI)
#      against the Vector API kernels on the host's cores and against PyTorch on the same GPU;
#   3. the KFAC linear algebra (factor GEMM, SPD inverse, eigendecomposition) on the GPU and CPU;
#   4. one SGD step of the 784-256-10 MLP on device-resident buffers (kernel calls, no autodiff),
#      checked against the CPU kernels and timed;
#   5. the 784-256-10 MLP figures of `hyperkron bench-autodiff` with -Dhyperkron.kernels=cuda and
#      with the CPU kernels, beside PyTorch CUDA (when a bench class path is given);
#   6. tensors on the GPU (`--device cuda`, when a bench class path is given): bench-autodiff's
#      gradient and HVP, and bench-bilevel's AID outer steps (inner phase, KFAC and CG
#      hypergradients) on random 784-feature IDX data, beside the same on the host's cores
#      and torch_aid_kfac.py on the GPU and on the CPU; training steps of the MLP and LeNet
#      (bench-training; LeNet's im2col and col2im are one launch per batch) beside
#      torch_training.py; and the 6-layer BERT encoder (bench-transformer, compute-bound) on the
#      GPU and the host, beside torch_transformer.py.
#
# Usage: bench/scripts/gpu-check.sh --java JDK_DIR --classpath DIR [--bench-classpath DIR]
#                                   [--out DIR] [--sizes 1024,2048,4096,8192] [--python python3]
#   JDK_DIR    a JDK 22+ (bin/java) with jdk.incubator.vector
#   DIR        a folder of jars: hyperkron-core, hyperkron-gpu (+ their test jars) and the test
#              libraries (JUnit platform launcher, Jupiter, jqwik, EJML); every *.jar is used
#   bench DIR  jars of hyperkron-bench and its dependencies (optional)
# CUDA libraries: -Dhyperkron.cuda.libDir / CUDA_LIB_DIR, else the usual places (see README).
set -uo pipefail

java_home="" classpath="" bench_classpath="" out="${OUT:-./gpu-check-out}" sizes="1024,2048,4096,8192"
python_bin=${PYTHON:-python3}
while [ $# -gt 0 ]; do
  case "$1" in
    --java) java_home=$2; shift 2 ;;
    --classpath) classpath=$2; shift 2 ;;
    --bench-classpath) bench_classpath=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --python) python_bin=$2; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu-check.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -x "$java_home/bin/java" ] || { echo "gpu-check.sh: no JDK at '$java_home' (--java)" >&2; exit 2; }
[ -d "$classpath" ] || { echo "gpu-check.sh: no class path folder '$classpath' (--classpath)" >&2; exit 2; }
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
# The default collector (G1): with -XX:+UseParallelGC the MLP step had phases of ~8 ms instead of ~1 ms.
java=("$java_home/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss8m
      -Djqwik.database="${TMPDIR:-/tmp}/hyperkron-gpu-jqwik-database")
cp_all="$classpath/*"
status=0

echo "== device"
(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv 2>&1 || echo "no nvidia-smi") | tee "$out/device.txt"

echo "== GPU tests"
"${java[@]}" -cp "$cp_all" dev.hyperkron.gpu.GpuTestMain \
  dev.hyperkron.core.kernels.CudaSelectionTest dev.hyperkron.gpu.CudaLibrariesTest \
  dev.hyperkron.gpu.OffloadingKernelsTest dev.hyperkron.gpu.ResidentMlpStepTest \
  dev.hyperkron.gpu.DeviceResidencyTest dev.hyperkron.gpu.CudaGemmProperties dev.hyperkron.gpu.CudaMaxPoolProperties dev.hyperkron.gpu.CudaLinalgTest \
  dev.hyperkron.core.kernels.CudaKernelsF32Properties dev.hyperkron.core.kernels.CudaKernelsF64Properties \
  dev.hyperkron.core.CudaDeviceContractProperties dev.hyperkron.gpu.KernelSourceTest \
  2>&1 | tee "$out/tests.txt"
[ "${PIPESTATUS[0]}" = 0 ] || status=1

echo "== GEMM: Hyperkron"
"${java[@]}" -cp "$cp_all" dev.hyperkron.gpu.GpuBenchmark "$sizes" 4096 2>&1 | tee "$out/gemm-hyperkron.tsv"
[ "${PIPESTATUS[0]}" = 0 ] || status=1

echo "== KFAC linear algebra: cuBLAS/cuSOLVER vs core on the CPU"
"${java[@]}" -cp "$cp_all" dev.hyperkron.gpu.KfacLinalgBenchmark 2>&1 | tee "$out/kfac-linalg.tsv"
[ "${PIPESTATUS[0]}" = 0 ] || status=1

echo "== MLP SGD step on device-resident buffers: Hyperkron"
"${java[@]}" -cp "$cp_all" dev.hyperkron.gpu.ResidentMlpBenchmark 2>&1 | tee "$out/mlp-resident.txt"
[ "${PIPESTATUS[0]}" = 0 ] || status=1

echo "== GEMM and MLP: PyTorch"
if "$python_bin" -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  PYTHONUNBUFFERED=1 "$python_bin" "$here/torch_gpu.py" --sizes "$sizes" 2>&1 | tee "$out/torch.tsv"
else
  echo "PyTorch with CUDA is not importable by $python_bin: no PyTorch figures" | tee "$out/torch.tsv"
fi

if [ -n "$bench_classpath" ]; then
  for kernels in cuda vector; do
    echo "== MLP: hyperkron bench-autodiff, kernels=$kernels"
    "${java[@]}" -Dhyperkron.kernels=$kernels -Djava.awt.headless=true -cp "$bench_classpath/*" \
      dev.hyperkron.bench.HyperkronCli bench-autodiff --threads "$(nproc)" --reps 20 --warmup-seconds 1 --chain 1000 --tsv \
      2>&1 | tee "$out/mlp-$kernels.tsv"
  done
fi

if [ -n "$bench_classpath" ]; then
  echo "== tensors on the GPU: bench-autodiff --device cuda"
  "${java[@]}" -Djava.awt.headless=true -cp "$bench_classpath/*" dev.hyperkron.bench.HyperkronCli bench-autodiff \
    --device cuda --threads 1 --reps 50 --warmup-seconds 2 --chain 1000 --tsv 2>&1 | tee "$out/mlp-device-cuda.tsv"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1

  echo "== AID outer steps: random 784-feature IDX data"
  idx="$out/random-idx"
  "$python_bin" "$here/random_idx.py" "$idx" || status=1
  for device in cuda cpu; do
    threads=1; [ "$device" = cpu ] && threads="1,4,$(nproc)"
    echo "== AID outer steps: hyperkron bench-bilevel --device $device"
    "${java[@]}" -Djava.awt.headless=true -cp "$bench_classpath/*" dev.hyperkron.bench.HyperkronCli bench-bilevel \
      --device "$device" --data "idx:$idx" --method aid-kfac-mc,aid-kfac,aid-cg --threads "$threads" --warmup 10 \
      --steps 20 --out "$out/bilevel-$device" 2>&1 | tee "$out/bilevel-$device.txt"
    [ "${PIPESTATUS[0]}" = 0 ] || status=1
  done
  # Each workload: the command, its PyTorch twin, the figures' prefix and the timed repetitions.
  for device in cuda cpu; do
    threads=1; [ "$device" = cpu ] && threads="$(nproc)"
    for workload in "bench-training torch_training.py train 30" "bench-transformer torch_transformer.py bert 10"; do
      read -r command script name reps <<< "$workload"
      echo "== $name: hyperkron $command --device $device"
      "${java[@]}" -Djava.awt.headless=true -cp "$bench_classpath/*" dev.hyperkron.bench.HyperkronCli "$command" \
        --device "$device" --threads "$threads" --reps "$reps" --warmup-seconds 3 --tsv 2>&1 | tee "$out/$name-$device.tsv"
      [ "${PIPESTATUS[0]}" = 0 ] || status=1
      echo "== $name: $script --device $device"
      (cd "$here" && PYTHONUNBUFFERED=1 "$python_bin" "$script" --device "$device" --threads "$threads" --reps "$reps" \
        --tsv 2>&1) | tee "$out/torch-$name-$device.tsv"
    done
  done
  for device in cuda cpu; do
    threads=1; [ "$device" = cpu ] && threads="1,4,$(nproc)"
    echo "== AID-KFAC-MC outer steps: torch_aid_kfac.py --device $device"
    PYTHONUNBUFFERED=1 "$python_bin" "$here/torch_aid_kfac.py" --data-dir "$idx" --device "$device" --threads "$threads" \
      --warmup 10 --steps 20 2>&1 | tee "$out/torch-bilevel-$device.csv"
  done
fi

echo "== summary (GFLOP/s; ms)"
grep -h '^gemm' "$out/gemm-hyperkron.tsv" "$out/torch.tsv" 2>/dev/null | sort -k3,3n -k2,2 | awk '{printf "%-20s n=%-5s %10.3f ms %10.1f GFLOP/s\n", $2, $3, $4, $5}'
grep -h '^kfac' "$out/kfac-linalg.tsv" 2>/dev/null
grep -h '^mlp' "$out/torch.tsv" 2>/dev/null | sed 's/^mlp/torch/'
grep -h -E '^(mlp|# resident|# CUDA graph|# FAILED)' "$out/mlp-resident.txt" 2>/dev/null | sed 's/^mlp/hyperkron-cuda-resident/'
for f in "$out"/mlp-*.tsv; do
  [ -f "$f" ] || continue
  k=${f##*/mlp-}; k=${k%.tsv}
  grep '^mlp\.' "$f" | awk -v k="$k" '{printf "hyperkron-%s\t%s\t%s\n", k, $1, $3}'
done
for device in cuda cpu; do
  for f in "$out/bert-$device.tsv" "$out/torch-bert-$device.tsv" "$out/train-$device.tsv" "$out/torch-train-$device.tsv"; do
    [ -f "$f" ] && grep -E '^(bert|train)\.' "$f" | sed "s|^|${f##*/}\t|"
  done
  [ -f "$out/bilevel-$device/bench-bilevel.csv" ] && sed "s/^/hyperkron-bilevel-$device,/" "$out/bilevel-$device/bench-bilevel.csv"
  [ -f "$out/torch-bilevel-$device.csv" ] && grep -v '^#' "$out/torch-bilevel-$device.csv" | sed "s/^/torch-bilevel-$device,/"
done
grep -h -E '^(Test run finished|\[ +[0-9]+ tests (successful|failed|skipped))' "$out/tests.txt" 2>/dev/null
exit $status
