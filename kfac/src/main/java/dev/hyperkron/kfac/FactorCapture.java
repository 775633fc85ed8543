package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KFAC factors gathered from forward passes the caller runs anyway, such as the training steps of
 * an inner loop, instead of passes of KFAC's own: A is the mean of the layer inputs over every
 * {@link #forward} (all rows of all passes, so a pass weighs by its number of examples, MATH.md
 * section 6), and G comes from the Fisher type's backward passes through the last forward only
 * ({@link #captureOutputGradients}). Created by {@link KfacOperator.Builder#capture()}, turned into
 * an operator by {@link KfacOperator.Builder#build(FactorCapture)}; one capture serves one
 * sequence of passes.
 *
 * <p>With one forward at theta on a batch, the factors equal those {@link KfacOperator.Builder#build(List)}
 * computes on that batch (for MC, with a random stream in the same state).
 */
public final class FactorCapture {
    private final FactorEstimator estimator;
    private final FactorSums sums;
    private final Map<String, PositionRows> lastInputs = new LinkedHashMap<>();
    private final List<Gradient> lastGradients = new ArrayList<>();
    private FactorEstimator.Forward last;
    private LossBatch lastBatch;
    private int forwards;
    private boolean gradientsCaptured;

    FactorCapture(FactorEstimator estimator, FactorSums sums) {
        this.estimator = estimator;
        this.sums = sums;
    }

    private record Gradient(LayerBlock block, PositionRows rows, double scale) {
    }

    /**
     * The model's outputs on the batch at {@code theta}, its layer inputs added to A. Keep the
     * returned outputs' graph (theta must require gradients) until {@link #captureOutputGradients}
     * when this is the last pass.
     *
     * @throws IllegalStateException after the output gradients were captured
     */
    public Var forward(LossBatch batch, Params theta) {
        if (gradientsCaptured) {
            throw new IllegalStateException("this capture already has its output gradients; G comes from the last "
                    + "forward pass, so no pass may follow it");
        }
        lastInputs.clear();
        last = estimator.forward(batch, theta, new FactorEstimator.Sink() {
            @Override
            public void input(LayerBlock block, PositionRows rows) {
                sums.input(block, rows);
                lastInputs.put(block.path(), rows);
            }

            @Override
            public void outputGradient(LayerBlock block, PositionRows rows, double scale) {
                throw new IllegalStateException("a forward pass reports no gradients");
            }
        });
        forwards++;
        return last.outputs();
    }

    /**
     * G from the Fisher type's backward passes (MC: one per sample) through the last forward pass,
     * stopping at the lowest layer's output; the forward graph is kept for the caller's own backward.
     */
    public void captureOutputGradients() {
        if (gradientsCaptured) {
            throw new IllegalStateException("the output gradients of this capture were already captured");
        }
        if (last == null) {
            throw new IllegalStateException("capture a forward pass before its output gradients");
        }
        estimator.backward(last, forwards - 1, 1.0, new FactorEstimator.Sink() {
            @Override
            public void input(LayerBlock block, PositionRows rows) {
                throw new IllegalStateException("a backward pass reports no inputs");
            }

            @Override
            public void outputGradient(LayerBlock block, PositionRows rows, double scale) {
                sums.outputGradient(block, rows, scale);
                lastGradients.add(new Gradient(block, rows, scale));
            }
        });
        gradientsCaptured = true;
        lastBatch = last.batch();
        last = null; // the forward graph is the caller's to keep or drop
    }

    /** Forward passes captured so far. */
    public int forwards() {
        return forwards;
    }

    FactorEstimator estimator() {
        return estimator;
    }

    FactorSums sums() {
        return sums;
    }

    void requireComplete() {
        if (!gradientsCaptured) {
            throw new IllegalStateException("the capture has " + forwards + " forward pass(es) but no output gradients: "
                    + "call captureOutputGradients() after the last forward pass");
        }
    }

    /** Reports the last forward pass's inputs and its output gradients again, as one batch (EKFAC's refit). */
    void replayLastPass(FactorEstimator.Sink sink) {
        requireComplete();
        sink.beginBatch(lastBatch);
        lastInputs.forEach((path, rows) -> sink.input(estimator.block(path), rows));
        for (Gradient g : lastGradients) {
            sink.outputGradient(g.block(), g.rows(), g.scale());
        }
        sink.endBatch();
    }
}
