package dev.hyperkron.core.linalg;

/** Which triangle of a square matrix holds a triangular factor; the other one is never read. */
public enum Triangle {
    /** Entries on and below the diagonal (a Cholesky factor L). */
    LOWER,
    /** Entries on and above the diagonal. */
    UPPER
}
