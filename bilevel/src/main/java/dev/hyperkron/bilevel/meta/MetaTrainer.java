package dev.hyperkron.bilevel.meta;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.methods.InnerDivergence;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.optim.Adam;
import dev.hyperkron.nn.optim.AdamSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The meta-training loop: per meta-step, draw a meta-batch of tasks, average their meta-gradients
 * and take an Adam step on phi. It is not a {@code train.BilevelTrainer}: that trainer carries one
 * theta across outer steps of one problem, while here every task adapts its own theta afresh from
 * phi and the outer gradient is a mean over tasks. The clock counts meta-steps only, so a listener
 * may evaluate phi between steps without charging the method for it.
 */
public final class MetaTrainer {
    private final TaskDistribution tasks;
    private final Adaptation adaptation;
    private final int metaBatch;
    private final AdamSettings outer;

    /** Meta-batches of {@code metaBatch} tasks from {@code tasks}, adapted by {@code adaptation}, phi stepped by Adam. */
    public MetaTrainer(TaskDistribution tasks, Adaptation adaptation, int metaBatch, AdamSettings outer) {
        if (metaBatch < 1) {
            throw new IllegalArgumentException("a meta-batch needs at least one task, got " + metaBatch);
        }
        this.tasks = tasks;
        this.adaptation = adaptation;
        this.metaBatch = metaBatch;
        this.outer = outer;
    }

    /** One meta-step's record: its number, the seconds of meta-training so far, the mean query loss of its tasks. */
    public record Step(int step, double seconds, double queryLoss) {
    }

    /** Called before the first meta-step (step 0) and after every meta-step, outside the clock. */
    @FunctionalInterface
    public interface Listener {
        void afterStep(Step step, Params phi);
    }

    /**
     * What a run ended with.
     *
     * @param failure why the run stopped early (a diverged inner loop or a non-finite meta-gradient), if it did
     */
    public record Result(Params phi, List<Step> history, Optional<String> failure) {
    }

    /** Meta-trains phi from {@code phi0} with {@code method} until the budget is spent. */
    public Result train(MetaGradientMethod method, Params phi0, Budget budget, Rng rng, Listener listener) {
        Adam adam = new Adam(outer);
        Params phi = phi0.detached().asLeaves();
        List<Step> history = new ArrayList<>();
        listener.afterStep(new Step(0, 0, Double.NaN), phi);
        double seconds = 0;
        for (int step = 1; !budget.exhausted(step - 1, seconds); step++) {
            long start = System.nanoTime();
            Params sum = null;
            double lossSum = 0;
            try {
                for (int b = 0; b < metaBatch; b++) {
                    MetaGradientMethod.TaskGradient g = method.compute(tasks.sample(rng), phi, adaptation, rng);
                    sum = sum == null ? g.gradient() : sum.add(g.gradient());
                    lossSum += g.queryLoss();
                }
            } catch (InnerDivergence e) {
                return new Result(phi, history, Optional.of(method.name() + " stopped at meta-step " + step + ": "
                        + e.getMessage()));
            }
            Params mean = sum.scale(1.0 / metaBatch);
            double norm = mean.norm();
            if (!Double.isFinite(norm) || !Double.isFinite(lossSum)) {
                return new Result(phi, history, Optional.of(method.name() + " stopped at meta-step " + step
                        + ": the meta-gradient norm is " + norm + " at a mean query loss of " + lossSum / metaBatch
                        + " after adaptation: adaptation from this phi blew up or the meta-gradient overflowed (lower "
                        + "the inner learning rate or the outer one)"));
            }
            phi = adam.step(phi, mean);
            seconds += (System.nanoTime() - start) * 1e-9;
            Step record = new Step(step, seconds, lossSum / metaBatch);
            history.add(record);
            listener.afterStep(record, phi);
        }
        return new Result(phi, history, Optional.empty());
    }
}
