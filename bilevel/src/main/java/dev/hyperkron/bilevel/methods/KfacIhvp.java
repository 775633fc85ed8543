package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.core.Require;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.EkfacInverse;
import dev.hyperkron.kfac.EkfacOperator;
import dev.hyperkron.kfac.FactorCapture;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.KfacInverse;
import dev.hyperkron.kfac.KfacOperator;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.kfac.UncoveredPolicy;
import dev.hyperkron.kfac.WeightSharing;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The KFAC (or EKFAC) IHVP method with named options: Fisher type, Monte-Carlo samples (MC only),
 * damping and damping strategy (KFAC only), and where the factors come from (passes of their own on
 * a curvature batch, the default, or the inner steps). The inner loss's regularizer curvature
 * (weight decay) is added to the damping. Immutable: each option returns a new method.
 */
public final class KfacIhvp implements IhvpMethod {
    static final KfacIhvp DEFAULT = new KfacIhvp(FisherType.TYPE2, 1, 1e-3, KfacInverse.Damping.HEURISTIC, false,
            WeightSharing.EXPAND, UncoveredPolicy.FAIL, false);

    private final FisherType fisher;
    private final int samples;
    private final double damping;
    private final KfacInverse.Damping strategy;
    private final boolean eigenvalueCorrected;
    private final WeightSharing sharing;
    private final UncoveredPolicy uncovered;
    private final boolean innerSteps;

    private KfacIhvp(FisherType fisher, int samples, double damping, KfacInverse.Damping strategy,
                     boolean eigenvalueCorrected, WeightSharing sharing, UncoveredPolicy uncovered, boolean innerSteps) {
        this.fisher = fisher;
        this.samples = samples;
        this.damping = damping;
        this.strategy = strategy;
        this.eigenvalueCorrected = eigenvalueCorrected;
        this.sharing = sharing;
        this.uncovered = uncovered;
        this.innerSteps = innerSteps;
    }

    /** Which curvature plays the role of the loss Hessian's factor (MATH.md section 3). */
    public KfacIhvp fisher(FisherType type) {
        if (type == null) {
            throw new IllegalArgumentException("the Fisher type must not be null");
        }
        return new KfacIhvp(type, samples, damping, strategy, eigenvalueCorrected, sharing, uncovered, innerSteps);
    }

    /** Label samples per example of the MC Fisher; only meaningful with {@code fisher(MC)}. */
    public KfacIhvp samples(int mcSamples) {
        return new KfacIhvp(fisher, Require.atLeast("MC samples", mcSamples, 1), damping, strategy, eigenvalueCorrected,
                sharing, uncovered, innerSteps);
    }

    /** The damping delta added to the curvature (plus the inner loss's weight decay). */
    public KfacIhvp damping(double delta) {
        return new KfacIhvp(fisher, samples, Require.finiteNonNegative("damping", delta), strategy, eigenvalueCorrected,
                sharing, uncovered, innerSteps);
    }

    /** How the damping enters a KFAC inverse: heuristic (factored, pi-balanced) or exact (eigenbases). */
    public KfacIhvp dampingStrategy(KfacInverse.Damping s) {
        if (eigenvalueCorrected) {
            throw new IllegalArgumentException("EKFAC adds the damping to its eigenvalues exactly; it has no strategy");
        }
        return new KfacIhvp(fisher, samples, damping, s, false, sharing, uncovered, innerSteps);
    }

    /** How layers shared over sequence positions or conv patches are factored (default EXPAND). */
    public KfacIhvp weightSharing(WeightSharing mode) {
        if (mode == null) {
            throw new IllegalArgumentException("the weight-sharing mode must not be null");
        }
        return new KfacIhvp(fisher, samples, damping, strategy, eigenvalueCorrected, mode, uncovered, innerSteps);
    }

    /**
     * What to do with parameters outside every Linear and Conv2d layer, such as LayerNorm scales
     * and embeddings (default FAIL; IDENTITY gives them the damped identity).
     */
    public KfacIhvp uncovered(UncoveredPolicy policy) {
        if (policy == null) {
            throw new IllegalArgumentException("the uncovered-parameter policy must not be null");
        }
        return new KfacIhvp(fisher, samples, damping, strategy, eigenvalueCorrected, sharing, policy, innerSteps);
    }

    /**
     * The same method with its factors gathered during the inner phase instead of by passes of its
     * own on a curvature batch: A from the layer inputs of all T inner steps' forward passes, the
     * mean over their examples (every step's batch weighs by its size, as batches do in one KFAC;
     * a plain mean because the T steps of one phase are one sample of the curvature near theta_T,
     * and a decaying mean would add a knob without a measured gain), G from one backward pass of the
     * Fisher type (MC: one per sample) through the last inner step's forward graph. The factors
     * lag by up to T steps (A) and one step (G): theta_0..theta_{T-1} instead of theta_T. It saves
     * the curvature batch's forward pass but costs T Gram products of the inputs instead of one, and
     * A over T x B rows is dense where one batch's (B below the layer's inputs) is held as rows and
     * inverted cheaply: on the MLPs measured in the README it is not faster.
     * Only AID ({@link ImplicitDifferentiation}) runs an inner phase it can capture; {@link #build}
     * then refuses.
     */
    public KfacIhvp factorsFromInnerSteps() {
        return new KfacIhvp(fisher, samples, damping, strategy, eigenvalueCorrected, sharing, uncovered, true);
    }

    /** Whether the factors come from the inner steps ({@link #factorsFromInnerSteps()}). */
    public boolean usesInnerSteps() {
        return innerSteps;
    }

    KfacIhvp eigenvalueCorrected() {
        return new KfacIhvp(fisher, samples, damping, strategy, true, sharing, uncovered, innerSteps);
    }

    /**
     * "KFAC", "KFAC-MC", "EKFAC", ... naming the Fisher type when it is not type-2, and "-inner"
     * when the factors come from the inner steps.
     */
    @Override
    public String name() {
        return (eigenvalueCorrected ? "EKFAC" : "KFAC") + (fisher == FisherType.TYPE2 ? "" : "-" + fisher)
                + (innerSteps ? "-inner" : "");
    }

    @Override
    public IhvpSolver build(Params theta, Params lambda, InnerObjective curvature, Rng rng) {
        if (innerSteps) {
            throw new IllegalStateException(name() + " gathers its factors during AID's inner phase "
                    + "(ImplicitDifferentiation); a method that builds its solver on a curvature batch needs KFAC "
                    + "with factors of its own");
        }
        List<LossBatch> batch = List.of(IhvpMethods.lossBatch(lambda, curvature, name()));
        return inverse(builder(theta, rng), b -> b.build(batch), b -> b.buildEkfac(batch),
                damping + curvature.regularizerCurvature(lambda));
    }

    @Override
    public Optional<InnerStepFactors> innerStepCapture(Params theta, Rng rng) {
        return innerSteps ? Optional.of(new InnerStepFactors(this, builder(theta, rng))) : Optional.empty();
    }

    /** The solver from the factors an inner phase captured. */
    IhvpSolver build(KfacOperator.Builder builder, FactorCapture capture, double regularizerCurvature) {
        return inverse(builder, b -> b.build(capture), b -> b.buildEkfac(capture), damping + regularizerCurvature);
    }

    /** The damped inverse of KFAC, or of EKFAC, computed by the builder from one source of factors. */
    private IhvpSolver inverse(KfacOperator.Builder builder, Function<KfacOperator.Builder, KfacOperator> kfac,
                               Function<KfacOperator.Builder, EkfacOperator> ekfac, double delta) {
        return eigenvalueCorrected ? EkfacInverse.of(ekfac.apply(builder), delta)
                : KfacInverse.of(kfac.apply(builder), delta, strategy, 0);
    }

    private KfacOperator.Builder builder(Params theta, Rng rng) {
        return KfacOperator.builder(theta).fisherType(fisher).mcSamples(samples).rng(rng).weightSharing(sharing)
                .uncovered(uncovered);
    }
}
