package dev.hyperkron.kfac;

import dev.hyperkron.core.Tensor;

/**
 * Orthonormal eigenbases of a layer's two Kronecker factors, Q_G (output side) and Q_A (input
 * side): in this basis KFAC, EKFAC and their damped inverses are all elementwise scalings.
 */
record KroneckerEigenbasis(Tensor qg, Tensor qa) {

    /** Q_G [(Q_G^T M Q_A) .* scale] Q_A^T for a [out, inDim] matrix M and scale. */
    Tensor scaled(Tensor m, Tensor scale) {
        Tensor rotated = qg.matmul(m, true, false).matmul(qa);
        return qg.matmul(rotated.mul(scale)).matmul(qa, false, true);
    }

    long storedElements() {
        return (long) qg.size() + qa.size();
    }
}
