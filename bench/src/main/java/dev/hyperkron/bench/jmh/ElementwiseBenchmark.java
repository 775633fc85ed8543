package dev.hyperkron.bench.jmh;

import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.Parallel;
import dev.hyperkron.core.kernels.ReduceOp;
import dev.hyperkron.core.kernels.TypedKernels;
import dev.hyperkron.core.kernels.UnaryOp;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Vector API against scalar kernels on 1M-element F32 arrays, for representative elementwise ops
 * and reductions. The kernels are called directly (no tensor allocation), on one thread by
 * default so the ratio measures SIMD alone; {@code -p threads=2} shows the parallel reductions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ElementwiseBenchmark {
    private static final int SIZE = 1 << 20;
    /** The reductions view the array as [ROWS, SIZE / ROWS]. */
    private static final int ROWS = 1024;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1"})
    public int threads;

    private TypedKernels<float[]> k;
    private float[] a;
    private float[] b;
    private final float[] factor = {1.0001f};
    private float[] out;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        k = kernels.equals("vector") ? Kernels.vector().f32() : Kernels.scalar().f32();
        SplittableRandom random = new SplittableRandom(42);
        a = new float[SIZE];
        b = new float[SIZE];
        out = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            a[i] = (float) (random.nextDouble() * 8 - 4);
            b[i] = (float) (random.nextDouble() * 8 - 4);
        }
    }

    @Benchmark
    public float[] add() {
        k.binary(BinaryOp.ADD, a, 0, 1, b, 0, 1, out, 0, SIZE);
        return out;
    }

    /** The scalar operand repeats (increment 0), as for {@code x.mul(2.0)} or a broadcast [1] tensor. */
    @Benchmark
    public float[] mulBroadcast() {
        k.binary(BinaryOp.MUL, a, 0, 1, factor, 0, 0, out, 0, SIZE);
        return out;
    }

    @Benchmark
    public float[] exp() {
        k.unary(UnaryOp.EXP, a, 0, out, 0, SIZE);
        return out;
    }

    @Benchmark
    public float[] relu() {
        k.unary(UnaryOp.RELU, a, 0, out, 0, SIZE);
        return out;
    }

    /** Sum along the contiguous last axis: [ROWS, SIZE / ROWS] to [ROWS]. */
    @Benchmark
    public float[] sumRows() {
        k.reduce(ReduceOp.SUM, a, 0, ROWS, SIZE / ROWS, 1, out, 0);
        return out;
    }

    /** Sum along the first axis, strided: [ROWS, SIZE / ROWS] to [SIZE / ROWS]. */
    @Benchmark
    public float[] sumColumns() {
        k.reduce(ReduceOp.SUM, a, 0, 1, ROWS, SIZE / ROWS, out, 0);
        return out;
    }
}
