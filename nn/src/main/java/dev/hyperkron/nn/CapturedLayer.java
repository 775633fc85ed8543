package dev.hyperkron.nn;

import dev.hyperkron.core.kernels.ConvGeometry;

/**
 * A layer as curvature capture sees it: its path, kind, the full names of its weight and bias
 * parameters, and its matrix view: the weight acts as a [outFeatures, inFeatures] matrix (for
 * Conv2d, inFeatures = inChannels * kH * kW).
 *
 * @param path        the module path, e.g. "features.0"
 * @param kind        LINEAR or CONV2D
 * @param weightName  full parameter name of the weight
 * @param biasName    full parameter name of the bias, or null without bias
 * @param inFeatures  columns of the weight matrix
 * @param outFeatures rows of the weight matrix
 * @param geometry    the convolution geometry, or null for Linear
 */
public record CapturedLayer(String path, Kind kind, String weightName, String biasName,
                            int inFeatures, int outFeatures, ConvGeometry geometry) {

    /** The layer types whose curvature KFAC knows how to factor. */
    public enum Kind { LINEAR, CONV2D }

    public boolean hasBias() {
        return biasName != null;
    }
}
