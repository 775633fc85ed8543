package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.core.Require;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.EkfacInverse;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.KfacInverse;
import dev.hyperkron.kfac.KfacOperator;
import dev.hyperkron.kfac.UncoveredPolicy;
import dev.hyperkron.kfac.WeightSharing;
import java.util.List;

/**
 * The KFAC (or EKFAC) IHVP method with named options: Fisher type, Monte-Carlo samples (MC only),
 * damping and damping strategy (KFAC only). The inner loss's regularizer curvature (weight decay)
 * is added to the damping. Immutable: each option returns a new method.
 */
public final class KfacIhvp implements IhvpMethod {
    static final KfacIhvp DEFAULT = new KfacIhvp(FisherType.TYPE2, 1, 1e-3, KfacInverse.Damping.HEURISTIC, false,
            WeightSharing.EXPAND, UncoveredPolicy.FAIL);

    private final FisherType fisher;
    private final int samples;
    private final double damping;
    private final KfacInverse.Damping strategy;
    private final boolean eigenvalueCorrected;
    private final WeightSharing sharing;
    private final UncoveredPolicy uncovered;

    private KfacIhvp(FisherType fisher, int samples, double damping, KfacInverse.Damping strategy,
                     boolean eigenvalueCorrected, WeightSharing sharing, UncoveredPolicy uncovered) {
        this.fisher = fisher;
        this.samples = samples;
        this.damping = damping;
        this.strategy = strategy;
        this.eigenvalueCorrected = eigenvalueCorrected;
        this.sharing = sharing;
        this.uncovered = uncovered;
    }

    /** Which curvature plays the role of the loss Hessian's factor (MATH.md section 3). */
    public KfacIhvp fisher(FisherType type) {
        if (type == null) {
            throw new IllegalArgumentException("the Fisher type must not be null");
        }
        return new KfacIhvp(type, samples, damping, strategy, eigenvalueCorrected, sharing, uncovered);
    }

    /** Label samples per example of the MC Fisher; only meaningful with {@code fisher(MC)}. */
    public KfacIhvp samples(int mcSamples) {
        return new KfacIhvp(fisher, Require.atLeast("MC samples", mcSamples, 1), damping, strategy, eigenvalueCorrected,
                sharing, uncovered);
    }

    /** The damping delta added to the curvature (plus the inner loss's weight decay). */
    public KfacIhvp damping(double delta) {
        return new KfacIhvp(fisher, samples, Require.finiteNonNegative("damping", delta), strategy, eigenvalueCorrected,
                sharing, uncovered);
    }

    /** How the damping enters a KFAC inverse: heuristic (factored, pi-balanced) or exact (eigenbases). */
    public KfacIhvp dampingStrategy(KfacInverse.Damping s) {
        if (eigenvalueCorrected) {
            throw new IllegalArgumentException("EKFAC adds the damping to its eigenvalues exactly; it has no strategy");
        }
        return new KfacIhvp(fisher, samples, damping, s, false, sharing, uncovered);
    }

    /** How layers shared over sequence positions or conv patches are factored (default EXPAND). */
    public KfacIhvp weightSharing(WeightSharing mode) {
        if (mode == null) {
            throw new IllegalArgumentException("the weight-sharing mode must not be null");
        }
        return new KfacIhvp(fisher, samples, damping, strategy, eigenvalueCorrected, mode, uncovered);
    }

    /**
     * What to do with parameters outside every Linear and Conv2d layer, such as LayerNorm scales
     * and embeddings (default FAIL; IDENTITY gives them the damped identity).
     */
    public KfacIhvp uncovered(UncoveredPolicy policy) {
        if (policy == null) {
            throw new IllegalArgumentException("the uncovered-parameter policy must not be null");
        }
        return new KfacIhvp(fisher, samples, damping, strategy, eigenvalueCorrected, sharing, policy);
    }

    KfacIhvp eigenvalueCorrected() {
        return new KfacIhvp(fisher, samples, damping, strategy, true, sharing, uncovered);
    }

    /** "KFAC", "KFAC-MC", "EKFAC", ... naming the Fisher type when it is not type-2. */
    @Override
    public String name() {
        return (eigenvalueCorrected ? "EKFAC" : "KFAC") + (fisher == FisherType.TYPE2 ? "" : "-" + fisher);
    }

    @Override
    public IhvpSolver build(Params theta, Params lambda, InnerObjective curvature, Rng rng) {
        double delta = damping + curvature.regularizerCurvature(lambda);
        KfacOperator.Builder builder = KfacOperator.builder(theta).fisherType(fisher).mcSamples(samples).rng(rng)
                .weightSharing(sharing).uncovered(uncovered);
        List<dev.hyperkron.kfac.LossBatch> batch = List.of(IhvpMethods.lossBatch(lambda, curvature, name()));
        if (eigenvalueCorrected) {
            return EkfacInverse.of(builder.buildEkfac(batch), delta);
        }
        return KfacInverse.of(builder.build(batch), delta, strategy, 0);
    }
}
