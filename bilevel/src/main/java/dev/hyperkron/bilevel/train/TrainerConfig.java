package dev.hyperkron.bilevel.train;

import dev.hyperkron.bilevel.methods.HypergradientMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a bilevel run proceeds: the hypergradient method, T inner steps per outer step, inner and
 * outer optimizers (SGD with momentum inside, Adam outside by default), the budget, the seed, how
 * often to evaluate the task's metrics, and where and how often to checkpoint.
 *
 * @param settings what else defines the run (the problem's data, model and knobs, by name and
 *                 value): stored in checkpoints, and a resume whose settings differ is refused
 */
public record TrainerConfig(HypergradientMethod method, int innerSteps, OptimizerSpec inner, OptimizerSpec outer,
                            Budget budget, long seed, int evaluateEvery, Path checkpointDir, int checkpointEvery,
                            boolean resume, Map<String, String> settings, List<StepListener> listeners) {

    public TrainerConfig {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(inner, "inner optimizer");
        Objects.requireNonNull(outer, "outer optimizer");
        Objects.requireNonNull(budget, "budget");
        if (innerSteps < 1) {
            throw new IllegalArgumentException("innerSteps must be at least 1, got " + innerSteps);
        }
        if (evaluateEvery < 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("evaluateEvery and checkpointEvery must be >= 0 (0 = only at the end)");
        }
        if (checkpointEvery > 0 && checkpointDir == null) {
            throw new IllegalArgumentException("checkpointEvery needs a checkpoint directory");
        }
        settings = Map.copyOf(settings);
        listeners = List.copyOf(listeners);
    }

    /**
     * The settings a checkpoint of this run records: {@link #settings} plus the inner steps,
     * both optimizers and the seed, which the trainer itself knows.
     */
    Map<String, String> recordedSettings() {
        Map<String, String> all = new java.util.TreeMap<>(settings);
        all.put("trainer.innerSteps", String.valueOf(innerSteps));
        all.put("trainer.innerOptimizer", inner.settings());
        all.put("trainer.outerOptimizer", outer.settings());
        all.put("trainer.seed", String.valueOf(seed));
        return all;
    }

    public static Builder builder(HypergradientMethod method) {
        return new Builder(method);
    }

    /**
     * Fluent construction. Defaults: T = 10 inner SGD steps (lr 0.1, momentum 0.9), outer Adam
     * (lr 0.05), 100 outer steps, seed 0. The outer default is Adam because its steps do not
     * depend on the hypergradient's scale, which differs between methods (KFAC with an MC Fisher
     * against CG, say) by an order of magnitude: an SGD step size right for one collapses another.
     */
    public static final class Builder {
        private final HypergradientMethod method;
        private int innerSteps = 10;
        private OptimizerSpec inner = OptimizerSpec.sgd(0.1, 0.9);
        private OptimizerSpec outer = OptimizerSpec.adam(0.05);
        private Budget budget = Budget.steps(100);
        private long seed = 0;
        private int evaluateEvery = 0;
        private Path checkpointDir;
        private int checkpointEvery = 0;
        private boolean resume = false;
        private Map<String, String> settings = Map.of();
        private final List<StepListener> listeners = new ArrayList<>();

        private Builder(HypergradientMethod method) {
            this.method = method;
        }

        public Builder innerSteps(int steps) {
            this.innerSteps = steps;
            return this;
        }

        public Builder innerOptimizer(OptimizerSpec spec) {
            this.inner = spec;
            return this;
        }

        public Builder outerOptimizer(OptimizerSpec spec) {
            this.outer = spec;
            return this;
        }

        public Builder budget(Budget b) {
            this.budget = b;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Evaluate metrics every n outer steps (0: only after the last step). */
        public Builder evaluateEvery(int n) {
            this.evaluateEvery = n;
            return this;
        }

        /** Write a checkpoint to dir every n outer steps (0: only at the end). */
        public Builder checkpoint(Path dir, int every) {
            this.checkpointDir = dir;
            this.checkpointEvery = every;
            return this;
        }

        /** Continue from the checkpoint in the checkpoint directory if there is one. */
        public Builder resume(boolean r) {
            this.resume = r;
            return this;
        }

        /** What else defines the run (see {@link TrainerConfig#settings}); replaces earlier settings. */
        public Builder settings(Map<String, String> s) {
            this.settings = s;
            return this;
        }

        public Builder listener(StepListener listener) {
            this.listeners.add(listener);
            return this;
        }

        public TrainerConfig build() {
            return new TrainerConfig(method, innerSteps, inner, outer, budget, seed, evaluateEvery, checkpointDir,
                    checkpointEvery, resume, settings, listeners);
        }
    }
}
