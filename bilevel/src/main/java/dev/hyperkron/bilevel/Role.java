package dev.hyperkron.bilevel;

/** What a batch is drawn for within one outer step (MATH.md section 1). */
public enum Role {
    /** Inner optimizer steps on theta. */
    INNER,
    /** The outer loss f and its gradient v = df/dtheta. */
    OUTER,
    /** The curvature H whose inverse the IHVP approximates. */
    CURVATURE,
    /** The mixed second derivative d/dlambda <dg/dtheta, q>. */
    MIXED
}
