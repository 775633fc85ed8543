package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.CapturedLayer;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.LayerObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the forward and backward passes that KFAC-type curvature is estimated from: one
 * forward per batch with layer capture on, then one backward pass per back-propagated vector
 * of the chosen Fisher type (Hessian-factor columns, sampled or empirical gradients), each
 * reported with the weight that makes the sums match MATH.md section 3. The forward and the
 * backward passes are separate steps so that a {@link FactorCapture} can run the backward through
 * a forward pass someone else ran (an inner training step).
 */
final class FactorEstimator {

    /** Receives the per-layer captures of every pass. */
    interface Sink {
        default void beginBatch(LossBatch batch) {
        }

        /** The layer's inputs [N, positions, inDim] from the forward pass. */
        void input(LayerBlock block, PositionRows rows);

        /** Output gradients [N, positions, out] of one backward pass, to be weighted by {@code scale}. */
        void outputGradient(LayerBlock block, PositionRows rows, double scale);

        default void endBatch() {
        }
    }

    private final Params params;
    private final Params domain;
    private final FisherType fisherType;
    private final int mcSamples;
    private final Rng rng;
    private final boolean jointBias;
    private final Map<String, LayerBlock> blocks = new LinkedHashMap<>();

    FactorEstimator(Params params, FisherType fisherType, int mcSamples, Rng rng, boolean jointBias) {
        if (mcSamples < 1) {
            throw new IllegalArgumentException("mcSamples must be at least 1, got " + mcSamples);
        }
        this.params = params;
        this.domain = params.zerosLike();
        this.fisherType = fisherType;
        this.mcSamples = mcSamples;
        this.rng = rng;
        this.jointBias = jointBias;
    }

    /** The layers seen so far, in the order of their first forward call. */
    List<LayerBlock> blocks() {
        return new ArrayList<>(blocks.values());
    }

    /** The layer at {@code path}, seen in an earlier forward pass. */
    LayerBlock block(String path) {
        return blocks.get(path);
    }

    Params domain() {
        return domain;
    }

    /** Runs every batch through the sink, each batch's G weighted by its share of the union (MATH.md section 6). */
    void run(List<LossBatch> batches, Sink sink) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("KFAC needs at least one batch");
        }
        double[] weights = LossBatch.unionWeights(batches);
        for (int b = 0; b < batches.size(); b++) {
            sink.beginBatch(batches.get(b));
            // Parameters as leaves make every layer output part of the graph.
            Forward forward = forward(batches.get(b), params.asLeaves(), sink);
            backward(forward, b, weights[b], sink);
            sink.endBatch();
        }
    }

    /**
     * One forward pass with capture on, as the backward passes need it: the model outputs, the
     * layer outputs (Vars of the forward graph) and their position masks, in forward order.
     */
    record Forward(LossBatch batch, Var outputs, List<String> paths, List<Var> layerOutputs,
                   Map<String, Tensor> positionMasks) {
    }

    /**
     * The model's forward pass on the batch at {@code at}, reporting every layer's input rows to
     * the sink. For {@link #backward} to reach the layer outputs, {@code at} must require gradients
     * (leaves, or values of a recorded graph).
     */
    Forward forward(LossBatch batch, Params at, Sink sink) {
        Map<String, Var> layerOutputs = new LinkedHashMap<>();
        Map<String, Tensor> positionMasks = new LinkedHashMap<>();
        LayerObserver observer = new LayerObserver() {
            @Override
            public void onInput(CapturedLayer layer, Tensor input, Tensor positionMask) {
                LayerBlock block = blocks.computeIfAbsent(layer.path(), p -> new LayerBlock(layer, domain, jointBias));
                positionMasks.put(layer.path(), positionMask);
                sink.input(block, new PositionRows(block.inputRows(input), positionMask));
            }

            @Override
            public void onOutput(CapturedLayer layer, Var output) {
                layerOutputs.put(layer.path(), output);
            }

            @Override
            public void onOutputGradient(CapturedLayer layer, Tensor grad) {
                // Gradients come from differentiating with respect to the layer outputs instead.
            }
        };
        Var outputs = batch.model().apply(at, Var.constant(batch.inputs()), Context.eval().withObserver(observer));
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("the model has no Linear or Conv2d layer (with one group) that KFAC can factor");
        }
        return new Forward(batch, outputs, new ArrayList<>(layerOutputs.keySet()), new ArrayList<>(layerOutputs.values()),
                positionMasks);
    }

    /**
     * The backward passes of the Fisher type through a forward pass (whose graph is kept for the
     * caller), reporting each layer's output gradients to the sink scaled by {@code weight} and the
     * batch's divisor, so that the sink's sums are G (MATH.md section 3). Asks for the layer outputs'
     * gradients only, so each pass stops at the lowest layer.
     */
    void backward(Forward forward, int index, double weight, Sink sink) {
        LossBatch batch = forward.batch();
        Var outputs = forward.outputs();
        requireFinite(outputs.value(), "the model's outputs", index);
        if (outputs.rank() != 2) {
            throw new IllegalArgumentException("KFAC expects model outputs [N, C], got " + outputs.shape());
        }
        List<String> paths = forward.paths();
        double divisor = batch.divisor(outputs.dim(1));
        double scale = weight * (fisherType == FisherType.MC ? 1.0 / mcSamples : 1.0) / divisor;
        Tensor sqrtWeights = sqrtWeights(batch);
        for (Tensor vector : backpropVectors(batch, outputs.value(), index)) {
            Tensor v = sqrtWeights == null ? vector : vector.mul(sqrtWeights);
            List<Var> grads = Grad.grad(List.of(outputs), forward.layerOutputs(),
                    Grad.Options.DEFAULT.seeds(List.of(Var.constant(v))).retainGraph().allowUnused());
            for (int i = 0; i < paths.size(); i++) {
                if (grads.get(i) == null) {
                    throw new IllegalStateException("layer '" + paths.get(i) + "' received no output gradient in batch "
                            + index + ": it does not influence the model's outputs");
                }
                LayerBlock block = blocks.get(paths.get(i));
                sink.outputGradient(block, new PositionRows(block.gradientRows(grads.get(i).value()),
                        forward.positionMasks().get(paths.get(i))), scale);
            }
        }
    }

    /** The [N, C] vectors whose back-propagation forms G, for this batch and Fisher type. */
    private List<Tensor> backpropVectors(LossBatch batch, Tensor outputs, int index) {
        List<Tensor> vectors = new ArrayList<>();
        switch (fisherType) {
            case FORWARD_ONLY -> { }
            case TYPE2 -> {
                Tensor s = batch.loss().hessianFactor(outputs);
                int n = s.dim(0);
                int c = s.dim(1);
                for (int k = 0; k < s.dim(2); k++) {
                    vectors.add(s.slice(2, k, k + 1).reshape(n, c));
                }
            }
            case MC -> {
                for (int i = 0; i < mcSamples; i++) {
                    vectors.add(perExampleGradients(batch, outputs, batch.loss().sampleTargets(outputs, rng)));
                }
            }
            case EMPIRICAL -> vectors.add(perExampleGradients(batch, outputs, batch.targets()));
        }
        for (Tensor v : vectors) {
            requireFinite(v, "the back-propagated loss gradients", index);
        }
        return vectors;
    }

    // Row n is d l_n / d z_n: the gradient of the sum of per-example losses.
    private static Tensor perExampleGradients(LossBatch batch, Tensor outputs, Tensor targets) {
        Var z = Var.leaf(outputs);
        return Grad.grad(batch.loss().perExample(z, targets).sum(), List.of(z)).get(0).value();
    }

    private static Tensor sqrtWeights(LossBatch batch) {
        Tensor w = batch.weights();
        if (w == null) {
            return null;
        }
        if (w.min().item() < 0) {
            throw new IllegalArgumentException("per-example weights must be non-negative for KFAC, got minimum "
                    + w.min().item());
        }
        return w.sqrt().reshape(w.dim(0), 1);
    }

    static void requireFinite(Tensor t, String what, int batch) {
        if (!Double.isFinite(t.abs().max().item())) {
            throw new IllegalArgumentException("batch " + batch + ": " + what + " contain NaN or infinite values");
        }
    }
}
