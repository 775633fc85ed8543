package dev.hyperkron.bilevel.train;

import dev.hyperkron.nn.optim.Adam;
import dev.hyperkron.nn.optim.AdamSettings;
import dev.hyperkron.nn.optim.Optimizer;
import dev.hyperkron.nn.optim.Sgd;
import dev.hyperkron.nn.optim.SgdSettings;

/** Which optimizer to create for a role (inner or outer): SGD (with momentum) or Adam/AdamW, with settings. */
public final class OptimizerSpec {
    private final SgdSettings sgd;
    private final AdamSettings adam;

    private OptimizerSpec(SgdSettings sgd, AdamSettings adam) {
        this.sgd = sgd;
        this.adam = adam;
    }

    public static OptimizerSpec sgd(SgdSettings settings) {
        return new OptimizerSpec(settings, null);
    }

    /** SGD with the given learning rate and momentum. */
    public static OptimizerSpec sgd(double learningRate, double momentum) {
        return sgd(SgdSettings.builder().learningRate(learningRate).momentum(momentum).build());
    }

    /** Adam with the given learning rate and PyTorch's other defaults. */
    public static OptimizerSpec adam(double learningRate) {
        return adam(AdamSettings.adam().learningRate(learningRate).build());
    }

    public static OptimizerSpec adam(AdamSettings settings) {
        return new OptimizerSpec(null, settings);
    }

    /** A fresh optimizer. */
    public Optimizer create() {
        return sgd != null ? new Sgd(sgd) : new Adam(adam);
    }

    public double learningRate() {
        return sgd != null ? sgd.learningRate() : adam.learningRate();
    }

    /** Every setting of the optimizer (the record's string form), for comparing runs. */
    String settings() {
        return sgd != null ? sgd.toString() : adam.toString();
    }

    @Override
    public String toString() {
        return sgd != null ? "SGD(lr=" + sgd.learningRate() + ", momentum=" + sgd.momentum() + ")"
                : "Adam(lr=" + adam.learningRate() + ")";
    }
}
