package dev.hyperkron.bench.perf;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.layers.Sequential;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Reduction;
import dev.hyperkron.nn.models.Models;

/**
 * The autodiff benchmark's computation: an MLP 784-256-10 with ReLU and mean cross-entropy on a
 * random F32 batch of 128, as bench/scripts/torch_autodiff.py builds it in PyTorch. Each method
 * runs the whole computation from the forward pass on, as a caller would, and on a device waits
 * for it to finish ({@link DeviceWait}).
 */
public final class MlpWorkload {
    public static final int IN = 784;
    public static final int HIDDEN = 256;
    public static final int CLASSES = 10;
    public static final int BATCH = 128;

    private final Sequential model = Models.mlp(IN, new int[] {HIDDEN}, CLASSES, Activation.relu());
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Context ctx = Context.eval();
    private final Params params;
    private final Params direction;
    private final Var input;
    private final Tensor targets;
    private final DeviceWait wait;

    /** The workload on the host. */
    public MlpWorkload(long seed) {
        this(seed, Device.host());
    }

    /** The workload with its parameters, direction and batch on {@code device} (targets stay on the host). */
    public MlpWorkload(long seed, Device device) {
        Rng rng = new Rng(seed);
        this.wait = new DeviceWait(device);
        params = model.init(rng, DType.F32).to(device).asLeaves();
        direction = params.mapValues(p -> Tensor.randn(rng, DType.F32, p.shape().dims()).to(device));
        input = Var.constant(Tensor.randn(rng, DType.F32, BATCH, IN).to(device));
        targets = randomLabels(rng, BATCH, CLASSES);
    }

    /** The loss with its graph recorded (the forward pass of a training step). */
    public Var loss() {
        return wait.finished(lossAt(params));
    }

    private Var lossAt(Params p) {
        return loss.apply(model.apply(p, input, ctx), targets, Reduction.MEAN);
    }

    /** The loss without recording (inference). */
    public double lossNoGrad() {
        try (NoGrad scope = NoGrad.enter()) {
            return loss().item();
        }
    }

    /** Forward and backward: the gradient with respect to every parameter. */
    public Params gradient() {
        return wait.finished(Grad.grad(lossAt(params), params));
    }

    /** Forward, backward with a recorded graph, and the second backward of the gradient's dot with a fixed v. */
    public Params hvp() {
        return wait.finished(Grad.hvp(this::lossAt, params, direction));
    }

    static Tensor randomLabels(Rng rng, int n, int classes) {
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(classes);
        }
        return Tensor.of(labels, n);
    }
}
