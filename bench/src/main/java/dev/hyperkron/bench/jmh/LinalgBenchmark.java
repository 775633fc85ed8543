package dev.hyperkron.bench.jmh;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Cholesky;
import dev.hyperkron.core.linalg.CholeskyFactor;
import dev.hyperkron.core.linalg.SymmetricEigen;
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
 * The decompositions KFAC needs, at the sizes its factors reach: Cholesky, the SPD inverse from
 * it, and the symmetric eigendecomposition (exact damping, EKFAC), on F32 matrices.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class LinalgBenchmark {
    /** KFAC factor sizes: 785 is the input factor of a 784-256-10 MLP (784 inputs and the bias). */
    @Param({"256", "512", "785", "1024"})
    int n;

    private Tensor spd;
    private CholeskyFactor factor;

    @Setup
    public void setUp() {
        Tensor q = Tensor.randn(new Rng(1), DType.F32, n, n);
        spd = q.matmul(q, true, false).div(n).add(Tensor.eye(DType.F32, n).mul(0.1));
        factor = Cholesky.decompose(spd);
    }

    @Benchmark
    public CholeskyFactor cholesky() {
        return Cholesky.decompose(spd);
    }

    @Benchmark
    public Tensor spdInverseFromFactor() {
        return factor.inverse();
    }

    @Benchmark
    public SymmetricEigen eigendecomposition() {
        return SymmetricEigen.of(spd);
    }
}
