package dev.hyperkron.bench.experiments;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.ConjugateGradient;
import dev.hyperkron.kfac.EkfacInverse;
import dev.hyperkron.kfac.EkfacOperator;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.kfac.HessianOperator;
import dev.hyperkron.kfac.IterateObserver;
import dev.hyperkron.kfac.KfacInverse;
import dev.hyperkron.kfac.KfacOperator;
import dev.hyperkron.kfac.NeumannSeries;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.kfac.Minres;
import dev.hyperkron.kfac.SolveReport;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.data.Normalizer;
import dev.hyperkron.nn.data.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The paper's Figure 1: how close each IHVP approximation comes to the exact damped IHVP
 * (cosine similarity to the damped-Hessian solve, and to the damped-GGN solve that KFAC
 * approximates) against what it costs (wall-clock time, including building its operators:
 * the first-order graph of HVP-based methods, factors and their inversion for KFAC). CG and
 * Neumann report every iterate of one run, so each budget T (K) is timed as the prefix of that
 * run; methods are interleaved across repetitions so that load on the machine hits them alike.
 * Downstream, {@link HypergradientAgreement} scores the same methods' hypergradients.
 */
public final class IhvpTradeoffExperiment {
    private static final int LANCZOS_STEPS = 80;

    private final IhvpTradeoffSetup setup;
    private final Dataset train;
    private final Dataset validation;

    /** One answer of a method and when it was ready (nanoseconds from the method's start). */
    private record Iterate(int budget, long nanos, Params q) {
    }

    /** A method under test; {@code timedRun} times itself and returns its answers, stopping early in {@code notes}. */
    private record TimedMethod(String name, Function<List<String>, List<Iterate>> timedRun) {
    }

    public IhvpTradeoffExperiment(IhvpTradeoffSetup setup) {
        this.setup = setup;
        Dataset all = DataSets.load(setup.dataSet());
        if (setup.trainSize() < 1 || setup.validationSize() < 1 || setup.trainSize() + setup.validationSize() > all.size()) {
            throw new UserError("cannot take " + setup.trainSize() + " training and " + setup.validationSize()
                    + " validation examples from the " + all.size() + " of '" + setup.dataSet() + "'");
        }
        Split split = Split.bySizes(all, setup.trainSize(), setup.validationSize(), 0, new Rng(setup.seed()), true);
        Normalizer normalizer = Normalizer.standardize(split.train());
        this.train = normalizer.apply(split.train());
        this.validation = normalizer.apply(split.validation());
    }

    /** Trains the named model, computes the reference IHVP, then times and scores every method. */
    public ModelTradeoff run(String modelName, Consumer<String> log) {
        Module module = ModelSpec.build(modelName, train.exampleShape(), train.classes(), setup.hidden());
        String description = ModelSpec.describe(modelName, setup.hidden());
        IhvpProblem problem = IhvpProblem.train(description, module, setup, train, validation);
        log.accept(String.format(Locale.ROOT, "%s: %d parameters, %d SGD steps in %.1f s (training loss %.4f, validation "
                        + "accuracy %.3f); curvature batch of %d examples", description, problem.size(), setup.trainSteps(),
                problem.trainSeconds(), problem.trainLoss(), problem.validationAccuracy(), problem.batch().size()));
        HessianSpectrum spectrum = HessianSpectrum.lanczos(HessianOperator.of(problem.params(), problem.batches()),
                LANCZOS_STEPS, new Rng(setup.seed()));
        double delta = setup.dampingFor(spectrum);
        double alpha = 1 / (spectrum.largest() + delta);
        log.accept(String.format(Locale.ROOT, "%s: Hessian eigenvalues in [%.4g, %.4g] (Lanczos, %d HVPs, %.2f s); damping "
                        + "delta = %.4g (%s); Neumann alpha = 1/(lambda_max + delta) = %.4g", description,
                spectrum.smallest(), spectrum.largest(), spectrum.iterations(), spectrum.seconds(), delta,
                setup.dampingDescription(), alpha));
        ReferenceIhvp reference = ReferenceIhvp.compute(problem, ReferenceIhvp.Curvature.HESSIAN, delta,
                setup.exactMaxParams(), setup.referenceIterations());
        ReferenceIhvp ggn = ReferenceIhvp.compute(problem, ReferenceIhvp.Curvature.GGN, delta, setup.exactMaxParams(),
                setup.referenceIterations());
        for (ReferenceIhvp r : List.of(reference, ggn)) {
            log.accept(String.format(Locale.ROOT, "%s: %s reference in %.1f s, %s", description, r.curvature().label(),
                    r.seconds(), r.description()));
        }

        List<TimedMethod> methods = methods(problem, delta, alpha);
        List<String> notes = new ArrayList<>();
        for (int w = 0; w < setup.warmup(); w++) {
            for (TimedMethod m : methods) {
                m.timedRun().apply(new ArrayList<>());
            }
        }
        Map<String, TreeMap<Integer, List<double[]>>> samples = new LinkedHashMap<>();
        for (int r = 0; r < setup.repeats(); r++) {
            for (TimedMethod m : methods) {
                System.gc(); // outside the timed region, so that no method pays for another's garbage
                List<String> runNotes = new ArrayList<>();
                List<Iterate> iterates = m.timedRun().apply(runNotes);
                if (r == 0) {
                    runNotes.forEach(note -> notes.add(m.name() + ": " + note));
                }
                TreeMap<Integer, List<double[]>> byBudget = samples.computeIfAbsent(m.name(), k -> new TreeMap<>());
                for (Iterate it : iterates) {
                    byBudget.computeIfAbsent(it.budget(), k -> new ArrayList<>()).add(score(it, reference.q(), ggn.q()));
                }
            }
        }
        List<TradeoffPoint> points = new ArrayList<>();
        samples.forEach((method, byBudget) -> byBudget.forEach((budget, list) -> points.add(point(method, budget, list))));
        List<HypergradientPoint> hypergradients = setup.hypergradientNoise() < 0 ? List.of()
                : new HypergradientAgreement(setup, setup.hypergradientNoise()).run(modelName, delta, alpha, log);
        return new ModelTradeoff(description, problem.size(), problem.trainLoss(), problem.validationAccuracy(),
                spectrum, delta, alpha, reference.description(), ggn.description(), reference.seconds() + ggn.seconds(),
                notes, points, hypergradients);
    }

    private List<TimedMethod> methods(IhvpProblem p, double delta, double alpha) {
        List<TimedMethod> methods = new ArrayList<>();
        methods.add(new TimedMethod("CG", notes -> iterative(observer -> {
            ConjugateGradient cg = ConjugateGradient.of(HessianOperator.of(p.params(), p.batches()), delta,
                    setup.maxIterations(), 0).fallback(ConjugateGradient.Fallback.BEST_ITERATE);
            noteEarlyStop(cg.solve(p.v(), observer).report(), setup.maxIterations(), notes);
        })));
        methods.add(new TimedMethod("MINRES", notes -> iterative(observer ->
                Minres.of(HessianOperator.of(p.params(), p.batches()), delta, setup.maxIterations(), 0)
                        .solve(p.v(), observer))));
        methods.add(new TimedMethod("Neumann", notes -> iterative(observer ->
                NeumannSeries.of(HessianOperator.of(p.params(), p.batches()), delta, alpha, setup.maxIterations())
                        .solve(p.v(), observer))));
        methods.add(new TimedMethod("PCG (KFAC type-2, heuristic)", notes -> iterative(observer -> {
            KfacInverse preconditioner = KfacInverse.of(kfac(p, FisherType.TYPE2), delta, KfacInverse.Damping.HEURISTIC, 0);
            ConjugateGradient cg = ConjugateGradient.of(HessianOperator.of(p.params(), p.batches()), delta,
                    setup.pcgIterations(), 0).preconditioned(preconditioner)
                    .fallback(ConjugateGradient.Fallback.BEST_ITERATE);
            noteEarlyStop(cg.solve(p.v(), observer).report(), setup.pcgIterations(), notes);
        })));
        for (FisherType type : List.of(FisherType.TYPE2, FisherType.MC)) {
            for (KfacInverse.Damping damping : KfacInverse.Damping.values()) {
                String name = "KFAC " + (type == FisherType.MC ? "MC-1" : "type-2") + ", " + damping.name().toLowerCase(Locale.ROOT);
                methods.add(new TimedMethod(name, notes -> closedForm(() ->
                        KfacInverse.of(kfac(p, type), delta, damping, 0).apply(p.v()))));
            }
        }
        methods.add(new TimedMethod("EKFAC type-2", notes -> closedForm(() -> {
            EkfacOperator ekfac = KfacOperator.builder(p.params()).fisherType(FisherType.TYPE2).buildEkfac(p.batches());
            return EkfacInverse.of(ekfac, delta).apply(p.v());
        })));
        methods.add(new TimedMethod("identity (alpha v)", notes -> closedForm(() -> p.v().scale(alpha))));
        return methods;
    }

    private KfacOperator kfac(IhvpProblem p, FisherType type) {
        return KfacOperator.builder(p.params()).fisherType(type).mcSamples(1).rng(new Rng(setup.seed())).build(p.batches());
    }

    private static void noteEarlyStop(SolveReport report, int budget, List<String> notes) {
        if (report.negativeCurvature()) {
            notes.add("stopped after " + report.iterations() + " of " + budget
                    + " iterations at a direction of negative curvature of H + delta I");
        } else if (report.converged() && report.iterations() < budget) {
            notes.add("converged exactly after " + report.iterations() + " iterations");
        }
    }

    /** Runs an iterative solver that reports to the observer; its clock starts before it builds anything. */
    private static List<Iterate> iterative(Consumer<IterateObserver> solve) {
        List<Iterate> out = new ArrayList<>();
        long start = System.nanoTime();
        solve.accept((k, q) -> out.add(new Iterate(k, System.nanoTime() - start, q)));
        return out;
    }

    private static List<Iterate> closedForm(Supplier<Params> solve) {
        long start = System.nanoTime();
        Params q = solve.get();
        return List.of(new Iterate(0, System.nanoTime() - start, q));
    }

    /** {seconds, cosine, relative error, GGN cosine} of one answer. */
    private static double[] score(Iterate it, Params reference, Params ggn) {
        Params q = it.q().cast(DType.F64);
        return new double[] {it.nanos() / 1e9, q.cosine(reference), q.sub(reference).norm() / reference.norm(),
            q.cosine(ggn)};
    }

    private static TradeoffPoint point(String method, int budget, List<double[]> runs) {
        double[] seconds = column(runs, 0);
        return new TradeoffPoint(method, budget, median(seconds), seconds[0], seconds[seconds.length - 1], runs.size(),
                median(column(runs, 1)), median(column(runs, 2)), median(column(runs, 3)));
    }

    private static double[] column(List<double[]> rows, int i) {
        double[] c = new double[rows.size()];
        for (int k = 0; k < c.length; k++) {
            c[k] = rows.get(k)[i];
        }
        Arrays.sort(c);
        return c;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
