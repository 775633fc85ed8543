package dev.hyperkron.bilevel.train;

import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.methods.InnerDivergence;
import dev.hyperkron.bilevel.methods.InnerLoop;
import dev.hyperkron.bilevel.methods.OuterStep;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.SolveReport;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The outer loop: per outer step, the method's inner phase and hypergradient, one outer
 * optimizer step on lambda, the projection, history, metrics and checkpoints. A run resumed
 * from a checkpoint repeats an uninterrupted run with a step budget exactly (all randomness is
 * either checkpointed or derived from the seed and the step number). A NaN or infinite loss or
 * hypergradient stops the run before the bad step is applied; the last checkpoint stays.
 */
public final class BilevelTrainer {
    /** More of lambda than this at a bound after the last step gets a warning. */
    static final double PINNED_WARNING = 0.5;

    private final BilevelProblem problem;
    private final TrainerConfig config;

    public BilevelTrainer(BilevelProblem problem, TrainerConfig config) {
        this.problem = problem;
        this.config = config;
    }

    /** Runs (or resumes) until the budget is used up or the run diverges. */
    public TrainingResult run() {
        Optimizer innerOptimizer = config.inner().create();
        Optimizer outerOptimizer = config.outer().create();
        Params theta;
        Params lambda;
        int step = 0;
        double elapsed = 0;
        List<HistoryEntry> history = new ArrayList<>();
        Checkpoint loaded = loadIfResuming();
        // A checkpoint is read to the host; the run continues where the problem keeps its variables.
        Checkpoint resumed = loaded == null ? null : loaded.to(problem.initialOuter().device());
        if (resumed != null) {
            theta = resumed.theta();
            lambda = resumed.lambda();
            config.method().restoreState(resumed.methodState());
            innerOptimizer.restore(resumed.inner());
            outerOptimizer.restore(resumed.outer());
            problem.restoreSamplerState(resumed.samplers());
            step = resumed.step();
            elapsed = resumed.seconds();
            history.addAll(resumed.history());
            for (StepListener listener : config.listeners()) {
                listener.resumed(step, elapsed);
            }
        } else {
            theta = problem.initialInner(new Rng(config.seed()));
            lambda = problem.initialOuter();
            // a fresh run starts a stateful method afresh, whatever an earlier run (a warm-up) left in it
            config.method().restoreState(Params.empty());
        }
        InnerLoop inner = new InnerLoop(problem, innerOptimizer, config.innerSteps());
        int lastCheckpoint = resumed == null ? -1 : step;
        java.util.Set<String> solveWarnings = new java.util.LinkedHashSet<>();
        while (!config.budget().exhausted(step, elapsed)) {
            long start = System.nanoTime();
            OuterStep result = null;
            String problemFound;
            try {
                result = config.method().run(problem, theta, lambda, inner, stepRng(step + 1));
                problemFound = nonFinite(result);
            } catch (InnerDivergence e) {
                problemFound = e.getMessage();
            }
            if (problemFound != null) {
                String where = lastCheckpoint >= 0 ? "the last good checkpoint (step " + lastCheckpoint + ") is in "
                        + config.checkpointDir() : "no checkpoint was written";
                return new TrainingResult(TrainingResult.Status.DIVERGED, "outer step " + (step + 1) + " with "
                        + config.method().name() + ": " + problemFound + "; the step was not applied, " + where,
                        theta, lambda, history, warnings(lambda, solveWarnings));
            }
            result.solve().ifPresent(r -> solveWarnings.addAll(r.warnings()));
            Params lambdaLeaves = lambda.asLeaves();
            lambda = problem.project(outerOptimizer.step(lambdaLeaves, result.hypergradient()));
            theta = result.theta();
            elapsed += (System.nanoTime() - start) * 1e-9;
            step++;
            boolean last = config.budget().exhausted(step, elapsed);
            Map<String, Double> metrics = last || (config.evaluateEvery() > 0 && step % config.evaluateEvery() == 0)
                    ? problem.metrics(theta, lambda) : Map.of();
            HistoryEntry entry = new HistoryEntry(step, elapsed, result.innerLoss(), result.outerLoss(),
                    result.innerSeconds(), result.hypergradientSeconds(), result.hypergradient().norm(),
                    result.solve().map(SolveReport::fallback).orElse(""), metrics);
            history.add(entry);
            for (StepListener listener : config.listeners()) {
                listener.afterStep(entry, theta, lambda);
            }
            if (config.checkpointDir() != null && (last || (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0))) {
                save(new Checkpoint(step, elapsed, config.method().name(), config.recordedSettings(), theta, lambda,
                        config.method().state(), innerOptimizer.state(), outerOptimizer.state(), problem.samplerState(), history));
                lastCheckpoint = step;
                for (StepListener listener : config.listeners()) {
                    listener.checkpointed(step);
                }
            }
        }
        return new TrainingResult(TrainingResult.Status.COMPLETED, "completed " + step + " outer steps",
                theta, lambda, history, warnings(lambda, solveWarnings));
    }

    /**
     * What the IHVP solves warned about (once each, prefixed by the method), and most of lambda held at
     * a bound by a projection that should only keep it feasible.
     */
    private List<String> warnings(Params lambda, java.util.Set<String> solveWarnings) {
        List<String> all = new ArrayList<>();
        solveWarnings.forEach(w -> all.add(config.method().name() + ": " + w));
        double pinned = problem.pinnedFraction(lambda).orElse(0);
        if (pinned <= PINNED_WARNING) {
            return all;
        }
        all.add(String.format(java.util.Locale.ROOT, "%s: the projection holds %.0f%% of the outer variable at "
                + "a bound after the last step; the outer step size is probably too large for this method's "
                + "hypergradient scale (see hypergradientNorm in the history)", config.method().name(), 100 * pinned));
        return all;
    }

    private Checkpoint loadIfResuming() {
        if (!config.resume() || config.checkpointDir() == null || !Checkpoint.exists(config.checkpointDir())) {
            return null;
        }
        try {
            Checkpoint c = Checkpoint.load(config.checkpointDir());
            if (!c.method().equals(config.method().name())) {
                throw new IllegalArgumentException("the checkpoint in " + config.checkpointDir() + " was written by method "
                        + c.method() + ", not " + config.method().name() + "; use another directory or the same method");
            }
            List<String> differences = differences(c.settings(), config.recordedSettings());
            if (!differences.isEmpty()) {
                throw new ResumeMismatchException(config.checkpointDir(), differences);
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from " + config.checkpointDir() + ": " + e.getMessage(), e);
        }
    }

    /** "name stored-value (now current-value)" for every setting that differs, in name order. */
    private static List<String> differences(Map<String, String> stored, Map<String, String> current) {
        SortedSet<String> names = new TreeSet<>(stored.keySet());
        names.addAll(current.keySet());
        List<String> out = new ArrayList<>();
        for (String name : names) {
            String was = stored.getOrDefault(name, "(not set)");
            String now = current.getOrDefault(name, "(not set)");
            if (!was.equals(now)) {
                out.add(name + " " + was + " (now " + now + ")");
            }
        }
        return out;
    }

    private void save(Checkpoint checkpoint) {
        try {
            checkpoint.save(config.checkpointDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint to " + config.checkpointDir() + ": " + e.getMessage(), e);
        }
    }

    /** The randomness of one outer step: a pure function of the seed and the step number. */
    private Rng stepRng(int step) {
        return new Rng(config.seed() * 0x9E3779B97F4A7C15L + step).split();
    }

    private static String nonFinite(OuterStep r) {
        if (!Double.isFinite(r.innerLoss())) {
            return "the inner loss is " + r.innerLoss();
        }
        if (!Double.isFinite(r.outerLoss())) {
            return "the outer loss is " + r.outerLoss();
        }
        double norm = r.hypergradient().norm();
        return Double.isFinite(norm) ? null : "the hypergradient norm is " + norm;
    }
}
