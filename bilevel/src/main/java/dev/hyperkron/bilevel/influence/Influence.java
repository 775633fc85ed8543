package dev.hyperkron.bilevel.influence;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.methods.IhvpMethod;
import dev.hyperkron.core.Require;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.IhvpSolver;
import java.util.Objects;

/**
 * Influence functions (Koh and Liang 2017) with any IHVP method of the bilevel module (exact,
 * CG, KFAC, EKFAC as Grosse et al. 2023 use at scale): s = H^-1 grad L_query is solved once on the
 * full training objective, and each example's score is then one dot product -&lt;grad l(z_i), s&gt;,
 * computed for a batch of examples at a time as a Jacobian-vector product. The cost is one IHVP
 * plus about two backward passes over the training set, whatever the number of examples.
 */
public final class Influence {
    /** Examples per Jacobian-vector product when none is given. */
    public static final int DEFAULT_BATCH = 256;

    private final IhvpMethod method;
    private final int batchSize;

    private Influence(IhvpMethod method, int batchSize) {
        this.method = Objects.requireNonNull(method, "method");
        this.batchSize = Require.atLeast("batch size", batchSize, 1);
    }

    /** Influence with H^-1 from {@code method}, scored over batches of {@value #DEFAULT_BATCH} examples. */
    public static Influence using(IhvpMethod method) {
        return new Influence(method, DEFAULT_BATCH);
    }

    /** The same estimator scoring {@code size} examples per batch (memory grows with it, the result does not). */
    public Influence batchSize(int size) {
        return new Influence(method, size);
    }

    /** I(z_i) of every training example on the query; {@code rng} feeds methods that sample (MC Fisher). */
    public InfluenceScores scores(TrainedModel trained, Query query, Rng rng) {
        long start = System.nanoTime();
        Params gradient = trained.queryGradient(query);
        IhvpSolver solver = method.build(trained.theta(), Params.empty(), trained.objective(), rng);
        IhvpSolver.Solution s = solver.solve(gradient);
        long solved = System.nanoTime();
        double[] dots = trained.exampleGradientsDot(s.value().cast(trained.theta().dtype()), batchSize);
        for (int i = 0; i < dots.length; i++) {
            dots[i] = -dots[i];
        }
        return new InfluenceScores(method.name(), dots, trained.exampleShare(), s.report(), (solved - start) * 1e-9,
                (System.nanoTime() - solved) * 1e-9);
    }
}
