package dev.hyperkron.kfac;

/** What KFAC does with parameters that belong to no Linear or Conv2d layer (LayerNorm, grouped conv, ...). */
public enum UncoveredPolicy {
    /** Refuse to build, naming the parameters (the default: nothing is dropped silently). */
    FAIL,
    /** Approximate their curvature block by the identity. */
    IDENTITY
}
