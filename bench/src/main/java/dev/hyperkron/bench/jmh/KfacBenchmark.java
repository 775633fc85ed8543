package dev.hyperkron.bench.jmh;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.EkfacInverse;
import dev.hyperkron.kfac.EkfacOperator;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.kfac.HessianOperator;
import dev.hyperkron.kfac.KfacInverse;
import dev.hyperkron.kfac.KfacOperator;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.models.Models;
import java.util.List;
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
 * The costs that decide whether KFAC pays off as an IHVP, for an MLP 784-256-10 on a batch of
 * 128 (F32, cross-entropy): computing the factors (TYPE2, MC with one sample, EKFAC), inverting
 * them (heuristic and exact damping), and one inverse-Kronecker-vector product against one
 * Hessian-vector product whose first-order graph is already built (as CG or Neumann reuse it).
 * {@code -p batch=512} shows how the balance moves: HVPs and factors grow with the batch, an
 * IKVP does not, except that up to 392 examples (half of 785) the input factor is held as rows
 * (cheaper to invert and apply).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KfacBenchmark {
    private static final int CLASSES = 10;
    private static final double DAMPING = 1e-3;

    @Param({"128"})
    public int batch;

    private Params params;
    private List<LossBatch> batches;
    private KfacOperator kfac;
    private KfacInverse heuristicInverse;
    private KfacInverse exactInverse;
    private EkfacInverse ekfacInverse;
    private HessianOperator hessian;
    private Params vector;

    @Setup
    public void setUp() {
        Rng rng = new Rng(7);
        Module model = Models.mlp(784, new int[] {256}, CLASSES, Activation.relu());
        params = model.init(rng, DType.F32);
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(CLASSES);
        }
        Tensor inputs = Tensor.randn(rng, DType.F32, batch, 784);
        batches = List.of(LossBatch.of(model, inputs, Tensor.of(labels, batch), new CrossEntropyLoss()));
        kfac = KfacOperator.builder(params).build(batches);
        heuristicInverse = KfacInverse.of(kfac, DAMPING, KfacInverse.Damping.HEURISTIC, 0);
        exactInverse = KfacInverse.of(kfac, DAMPING, KfacInverse.Damping.EXACT, 0);
        ekfacInverse = EkfacInverse.of(KfacOperator.builder(params).buildEkfac(batches), DAMPING);
        hessian = HessianOperator.of(params, batches);
        vector = params.mapValues(p -> Tensor.randn(rng, DType.F32, p.shape().dims()));
    }

    @Benchmark
    public KfacOperator factorsType2() {
        return KfacOperator.builder(params).fisherType(FisherType.TYPE2).build(batches);
    }

    @Benchmark
    public KfacOperator factorsMc() {
        return KfacOperator.builder(params).fisherType(FisherType.MC).mcSamples(1).rng(new Rng(3)).build(batches);
    }

    /** TYPE2 factors, their eigenbases and the refitted diagonal (a second pass over the batch). */
    @Benchmark
    public EkfacOperator factorsEkfac() {
        return KfacOperator.builder(params).fisherType(FisherType.TYPE2).buildEkfac(batches);
    }

    @Benchmark
    public KfacInverse inverseHeuristic() {
        return KfacInverse.of(kfac, DAMPING, KfacInverse.Damping.HEURISTIC, 0);
    }

    @Benchmark
    public KfacInverse inverseExact() {
        return KfacInverse.of(kfac, DAMPING, KfacInverse.Damping.EXACT, 0);
    }

    /** One IKVP with heuristic damping: two small GEMMs per layer. */
    @Benchmark
    public Params ikvpHeuristic() {
        return heuristicInverse.apply(vector);
    }

    /** One IKVP with exact damping: four GEMMs per layer in the eigenbases. */
    @Benchmark
    public Params ikvpExact() {
        return exactInverse.apply(vector);
    }

    /** One EKFAC IKVP: four GEMMs per layer in the eigenbases. */
    @Benchmark
    public Params ikvpEkfac() {
        return ekfacInverse.apply(vector);
    }

    /** One HVP by double backward through the retained first-order graph. */
    @Benchmark
    public Params hvp() {
        return hessian.apply(vector);
    }

    /** What an HVP-based solver pays once per Hessian: the forward pass and the differentiable gradient. */
    @Benchmark
    public HessianOperator hessianGraph() {
        return HessianOperator.of(params, batches);
    }
}
