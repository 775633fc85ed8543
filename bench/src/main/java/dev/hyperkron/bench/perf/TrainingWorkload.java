package dev.hyperkron.bench.perf;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Reduction;
import dev.hyperkron.nn.models.Models;
import dev.hyperkron.nn.optim.Sgd;
import dev.hyperkron.nn.optim.SgdSettings;

/**
 * One training step (forward, backward, plain SGD update) of a model on a fixed random F32 batch,
 * as bench/scripts/torch_training.py runs it in PyTorch. The parameters move from step to step,
 * as in training; on a device, parameters, batch and every op stay there.
 */
public final class TrainingWorkload {
    public static final int BATCH = 128;
    private static final double LEARNING_RATE = 0.01;

    private final String name;
    private final Module model;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Context ctx = Context.eval();
    private final Sgd sgd = new Sgd(SgdSettings.builder().learningRate(LEARNING_RATE).build());
    private final Var input;
    private final Tensor targets;
    private Params params;

    private TrainingWorkload(String name, Module model, int[] inputDims, long seed, Device device) {
        Rng rng = new Rng(seed);
        this.name = name;
        this.model = model;
        this.params = model.init(rng, DType.F32).to(device).asLeaves();
        this.input = Var.constant(Tensor.randn(rng, DType.F32, inputDims).to(device));
        this.targets = MlpWorkload.randomLabels(rng, BATCH, 10);
    }

    /** MLP 784-256-10 with ReLU on flat inputs [128, 784], parameters and batch on {@code device}. */
    public static TrainingWorkload mlp(long seed, Device device) {
        return new TrainingWorkload("mlp", Models.mlp(MlpWorkload.IN, new int[] {MlpWorkload.HIDDEN}, MlpWorkload.CLASSES,
                Activation.relu()), new int[] {BATCH, MlpWorkload.IN}, seed, device);
    }

    /** LeNet on [128, 1, 28, 28] images, parameters and batch on {@code device}. */
    public static TrainingWorkload lenet(long seed, Device device) {
        return new TrainingWorkload("lenet", Models.lenet(1, 28, 28, 10), new int[] {BATCH, 1, 28, 28}, seed, device);
    }

    public String name() {
        return name;
    }

    /** One step; returns the loss before the update (reading it waits for a device's queued work). */
    public double step() {
        Var value = loss.apply(model.apply(params, input, ctx), targets, Reduction.MEAN);
        params = sgd.step(params, params.withVars(Grad.grad(value, params.vars())));
        return value.item();
    }
}
