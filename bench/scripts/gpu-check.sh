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
#      with the CPU kernels, beside PyTorch CUDA (when a bench class path is given).
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
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu-check.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -x "$java_home/bin/java" ] || { echo "gpu-check.sh: no JDK at '$java_home' (--java)" >&2; exit 2; }
[ -d "$classpath" ] || { echo "gpu-check.sh: no class path folder '$classpath' (--classpath)" >&2; exit 2; }
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
java=("$java_home/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xss8m
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
grep -h -E '^(Test run finished|\[ +[0-9]+ tests (successful|failed|skipped))' "$out/tests.txt" 2>/dev/null
exit $status
