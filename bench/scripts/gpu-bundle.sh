#!/usr/bin/env bash
# Packs what bench/scripts/gpu-check.sh needs on a GPU machine that has no JDK and no Maven: the
# class path folders (built here with JDK 22+) and, optionally, a jlinked JDK as jdk.tar.xz.
# Usage: bench/scripts/gpu-bundle.sh OUT_DIR [--jdk JDK22_HOME]
# Needs, built beforehand: ./mvnw -pl core,gpu package -DskipTests (JDK 22+, for lib/) and
# ./mvnw -pl bench -am package -DskipTests (any JDK, for bench/).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: gpu-bundle.sh OUT_DIR [--jdk JDK_HOME]}
jdk=""
[ "${2:-}" = "--jdk" ] && jdk=$3
m2=${M2_REPO:-$HOME/.m2/repository}
mkdir -p "$out/lib" "$out/bench" "$out/scripts"
cp "$root"/core/target/hyperkron-core-*-SNAPSHOT.jar "$root"/core/target/hyperkron-core-*-tests.jar \
   "$root"/gpu/target/hyperkron-gpu-*.jar "$out/lib/"
"${JAVA_HOME:+$JAVA_HOME/bin/}jar" cf "$out/lib/hyperkron-gpu-tests.jar" -C "$root/gpu/target/test-classes" .
for a in org/junit/jupiter/junit-jupiter-api/5.14.4 org/junit/jupiter/junit-jupiter-engine/5.14.4 \
         org/junit/platform/junit-platform-commons/1.14.4 org/junit/platform/junit-platform-engine/1.14.4 \
         org/junit/platform/junit-platform-launcher/1.14.4 org/opentest4j/opentest4j/1.3.0 \
         org/apiguardian/apiguardian-api/1.1.2 net/jqwik/jqwik-api/1.9.3 net/jqwik/jqwik-engine/1.9.3 \
         org/ejml/ejml-ddense/0.46.1 org/ejml/ejml-core/0.46.1; do
  cp "$m2/$a"/*.jar "$out/lib/"
done
if [ -d "$root/bench/target/lib" ]; then
  cp "$root"/bench/target/lib/*.jar "$out/bench/"
  "${JAVA_HOME:+$JAVA_HOME/bin/}jar" cf "$out/bench/hyperkron-bench.jar" -C "$root/bench/target/classes" .
  cp "$root"/gpu/target/hyperkron-gpu-*.jar "$out/bench/"
  # Not used by bench-autodiff or bench-bilevel; left out to keep the bundle small.
  # The pretrained BERT (langchain4j, 80 MB) serves the text commands only.
  rm -f "$out"/bench/{pdfbox,fontbox,commons-math3,jmh-core,graphics2d,VectorGraphics2D,langchain4j}-*.jar
fi
rm -f "$out"/lib/*-javadoc.jar "$out"/lib/*-sources.jar "$out"/bench/*-javadoc.jar "$out"/bench/*-sources.jar
cp "$root"/bench/scripts/gpu-check.sh "$root"/bench/scripts/torch_gpu.py "$root"/bench/scripts/torch_aid_kfac.py \
   "$root"/bench/scripts/torch_transformer.py "$root"/bench/scripts/torch_training.py "$root"/bench/scripts/torch_timing.py \
   "$root"/bench/scripts/random_idx.py "$root"/bench/scripts/server-check.sh "$root"/bench/scripts/gemm_numpy.py \
   "$root"/bench/scripts/eigh_numpy.py "$out/scripts/"
if [ -n "$jdk" ]; then
  tmp=$(mktemp -d)
  "$jdk/bin/jlink" --add-modules java.base,jdk.incubator.vector,java.logging,jdk.unsupported,java.management,java.xml \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$tmp/jdk"
  tar -cJf "$out/jdk.tar.xz" -C "$tmp" jdk
  rm -rf "$tmp"
fi
du -sh "$out"
