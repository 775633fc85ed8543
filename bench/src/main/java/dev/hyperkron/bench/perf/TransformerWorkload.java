package dev.hyperkron.bench.perf;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Reduction;
import dev.hyperkron.nn.text.BertConfig;
import dev.hyperkron.nn.transformer.BertEncoder;
import dev.hyperkron.nn.transformer.PaddedSequences;
import dev.hyperkron.nn.transformer.Pooling;
import dev.hyperkron.nn.transformer.SequenceClassifier;

/**
 * The transformer benchmark's computation: the all-MiniLM-L6-v2 architecture (6 post-LN BERT
 * layers, hidden 384, 12 heads, FFN 1536, vocabulary 30522) with a [CLS] classification head
 * of 6 classes and mean cross-entropy, on random F32 token batches without padding, as
 * bench/scripts/torch_transformer.py builds it in PyTorch. Random weights: speed does not
 * depend on their values. On a device, the parameters and the batch live there and each method
 * waits for its work to finish ({@link DeviceWait}).
 */
public final class TransformerWorkload {
    public static final BertConfig CONFIG = new BertConfig(6, 384, 12, 1536, 30522, 512, 2, 1e-12);
    public static final int CLASSES = 6;

    private final SequenceClassifier model = new SequenceClassifier(BertEncoder.full(CONFIG, 0), Pooling.CLS, CLASSES, 0);
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Context ctx = Context.eval();
    private final Params params;
    private final Var input;
    private final Tensor targets;
    private final DeviceWait wait;

    /** The workload on the host. */
    public TransformerWorkload(long seed, int batch, int length) {
        this(seed, batch, length, Device.host());
    }

    public TransformerWorkload(long seed, int batch, int length, Device device) {
        Rng rng = new Rng(seed);
        wait = new DeviceWait(device);
        params = model.init(rng, DType.F32).to(device).asLeaves();
        float[] tokens = new float[batch * length * 2];
        for (int i = 0; i < batch * length; i++) {
            tokens[2 * i] = rng.nextInt(CONFIG.vocabSize());
        }
        input = Var.constant(PaddedSequences.pack(Tensor.of(tokens, batch, length, 2), Tensor.ones(DType.F32, batch, length))
                .to(device));
        targets = MlpWorkload.randomLabels(rng, batch, CLASSES);
    }

    /** The loss with its graph recorded. */
    public Var loss() {
        return wait.finished(loss.apply(model.apply(params, input, ctx), targets, Reduction.MEAN));
    }

    /** The loss without recording (inference). */
    public double lossNoGrad() {
        try (NoGrad scope = NoGrad.enter()) {
            return loss().item();
        }
    }

    /** Forward and backward: the gradient with respect to every parameter. */
    public Params gradient() {
        return wait.finished(Grad.grad(loss.apply(model.apply(params, input, ctx), targets, Reduction.MEAN), params));
    }
}
