package dev.hyperkron.nn;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Tensor;

/**
 * Receives what curvature approximations (KFAC) need from the layers they approximate: each
 * Linear and Conv2d reports its input on the forward pass and the gradient with respect to its
 * output on every backward pass through it.
 */
public interface LayerObserver {

    /**
     * The layer's input as the layer multiplies it: [..., inFeatures] for Linear (leading axes
     * are examples, then possibly sequence positions), the unfolded patches
     * [N, inChannels * kH * kW, L] for Conv2d. For a Linear applied to a padded sequence batch
     * [N, T, inFeatures], {@code positionMask} is the batch's [N, T] mask of real positions (1)
     * and padding (0), which curvature statistics must leave out; otherwise it is null.
     */
    void onInput(CapturedLayer layer, Tensor input, Tensor positionMask);

    /**
     * The gradient with respect to the layer's output before any activation (with respect to
     * the product before or after the bias: they are the same): [..., outFeatures] for Linear,
     * [N, outChannels, L] for Conv2d.
     */
    void onOutputGradient(CapturedLayer layer, Tensor gradOutput);

    /**
     * The layer's output before any activation as a Var of the forward graph (for Linear the
     * product plus its bias, for Conv2d the product before it; same layout as the gradients of
     * {@link #onOutputGradient}). Differentiating with respect to these Vars gives every layer's
     * output gradient in one backward pass that stops at the lowest layer, without the input or
     * weight gradients of that layer. Ignored by default.
     */
    default void onOutput(CapturedLayer layer, Var output) {
    }
}
