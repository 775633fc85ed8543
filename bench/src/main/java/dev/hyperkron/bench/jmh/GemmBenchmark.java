package dev.hyperkron.bench.jmh;

import dev.hyperkron.bench.GemmShape;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.Parallel;
import dev.hyperkron.core.kernels.TypedKernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * F32 GEMM of the active kernels (C = A * B, beta = 0) on square sizes and the products of an
 * MLP training step, on 1 and 2 threads. Scores are microseconds per product; GFLOP/s is
 * 2 m n k / 1000 / score. Run with
 * {@code java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main GemmBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {

    /** A name from {@link GemmShape#STANDARD}. */
    @Param({"square256", "square512", "square1024", "square2048", "mlp-fc1", "mlp-fc1-xWt", "mlp-fc2"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private GemmShape s;
    private TypedKernels<float[]> kernels;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        s = GemmShape.named(shape);
        kernels = Kernels.active().f32();
        SplittableRandom rng = new SplittableRandom(42);
        a = random(rng, s.aRows() * s.aCols());
        b = random(rng, s.bRows() * s.bCols());
        c = new float[s.m() * s.n()];
    }

    @Benchmark
    public float[] gemm() {
        kernels.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1.0, a, 0, s.aCols(), b, 0, s.bCols(), 0.0, c, 0, s.n());
        return c;
    }

    private static float[] random(SplittableRandom rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }
}
