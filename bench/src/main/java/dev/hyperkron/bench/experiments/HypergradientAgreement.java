package dev.hyperkron.bench.experiments;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.methods.InnerLoop;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.bilevel.train.OptimizerSpec;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.FisherType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The IHVP trade-off carried downstream: how close each method's <em>hypergradient</em> comes to
 * the exact one on a data-hypercleaning problem (noisy labels, one weight per training example),
 * at the damping the methods use. The model is trained by the inner optimizer at uniform weights,
 * then every method computes dF/dlambda at that same (theta, lambda) on freshly seeded samplers
 * (so all see the same batches); the reference is AID with the dense damped-Hessian solve
 * ({@code aid-exact}, LU where the damped Hessian is indefinite).
 */
public final class HypergradientAgreement {
    private static final int[] BUDGETS = {1, 2, 5, 10, 20, 50};

    private final IhvpTradeoffSetup setup;
    private final double noise;

    /** The agreement experiment on the trade-off's data, sizes, damping and seed, with this label noise. */
    public HypergradientAgreement(IhvpTradeoffSetup setup, double noise) {
        this.setup = setup;
        this.noise = noise;
    }

    /**
     * Scores the methods for one model, or returns an empty list (saying why) when the model has
     * more parameters than the exact reference allows.
     *
     * @param delta the total damping of the trade-off (the inner objective's L2 term supplies the weight decay of it)
     * @param alpha the Neumann step (and identity scale) to use
     */
    public List<HypergradientPoint> run(String modelName, double delta, double alpha, Consumer<String> log) {
        HypercleaningSetup hc = new HypercleaningSetup(setup.dataSet(), modelName, setup.hidden(), noise,
                setup.trainSize(), setup.validationSize(), 0, setup.curvatureBatch(), setup.trainSteps(),
                setup.learningRate(), 0, setup.weightDecay(), setup.seed());
        HypercleaningExperiment experiment = new HypercleaningExperiment(hc);
        DataHypercleaning first = experiment.problem();
        Params lambda = first.initialOuter();
        Params theta = first.initialInner(new Rng(setup.seed()));
        if (theta.numel() > setup.exactMaxParams()) {
            log.accept(ModelSpec.describe(modelName, setup.hidden()) + ": no hypergradient agreement: " + theta.numel()
                    + " parameters exceed --exact-max-params " + setup.exactMaxParams() + " for the exact hypergradient");
            return List.of();
        }
        long start = System.nanoTime();
        theta = new InnerLoop(first, OptimizerSpec.sgd(setup.learningRate(), 0.9).create(), setup.trainSteps())
                .run(theta, lambda).theta();
        double damping = Math.max(0, delta - setup.weightDecay());
        MethodSpec spec = new MethodSpec(damping, 1, alpha, FisherType.TYPE2, 1, 0, AlgorithmSettings.DEFAULT);
        Params exact = hypergradient(experiment, spec, "aid-exact", theta, lambda).cast(DType.F64);
        log.accept(String.format(java.util.Locale.ROOT, "%s: hypercleaning (noise %.2f, batch %d) trained %d inner steps "
                        + "and exact hypergradient in %.1f s", ModelSpec.describe(modelName, setup.hidden()), noise,
                setup.curvatureBatch(), setup.trainSteps(), (System.nanoTime() - start) / 1e9));
        List<HypergradientPoint> points = new ArrayList<>();
        for (String method : List.of("aid-cg", "aid-minres", "aid-neumann", "aid-pcg")) {
            int max = method.equals("aid-pcg") ? setup.pcgIterations() : setup.maxIterations();
            for (int budget : BUDGETS) {
                if (budget <= max) {
                    points.add(score(experiment, spec.withIterations(budget), method, budget, theta, lambda, exact));
                }
            }
        }
        for (String method : List.of("aid-kfac", "aid-ekfac", "aid-identity")) {
            points.add(score(experiment, spec, method, 0, theta, lambda, exact));
        }
        return points;
    }

    private HypergradientPoint score(HypercleaningExperiment experiment, MethodSpec spec, String method, int budget,
                                     Params theta, Params lambda, Params exact) {
        for (int w = 0; w < setup.warmup(); w++) {
            hypergradient(experiment, spec, method, theta, lambda);
        }
        double[] millis = new double[setup.repeats()];
        Params h = null;
        for (int r = 0; r < millis.length; r++) {
            System.gc();
            long start = System.nanoTime();
            h = hypergradient(experiment, spec, method, theta, lambda);
            millis[r] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        Params h64 = h.cast(DType.F64);
        String name = spec.build(method).name();
        return new HypergradientPoint(name, budget, millis[millis.length / 2], millis[0], millis.length, h64.cosine(exact),
                h64.sub(exact).norm() / exact.norm());
    }

    /** dF/dlambda by one method at (theta, lambda), on a fresh problem (samplers seeded alike for every method). */
    private Params hypergradient(HypercleaningExperiment experiment, MethodSpec spec, String method, Params theta,
                                 Params lambda) {
        HypergradientMethod built = spec.build(method);
        if (!(built instanceof ImplicitDifferentiation aid)) {
            throw new IllegalStateException(method + " is not an implicit-differentiation method");
        }
        return aid.hypergradient(experiment.problem(), theta, lambda, new Rng(setup.seed())).value();
    }
}
