package dev.hyperkron.kfac;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;

/**
 * One Kronecker factor F (A or G): a dense symmetric n x n matrix or, when it is a sum of fewer
 * outer products than make a dense matrix worthwhile, those products' rows Y (r x n) with
 * F = Y^T Y. The row form is exact, holds r n values instead of n^2, multiplies a vector in 2 r n
 * instead of n^2 operations, and gives damped inverses and eigenbases through the r x r Gram
 * matrix Y Y^T instead of an n x n factorization (Woodbury). Wide layers on small batches (an
 * MLP on 784 pixels with 128 examples) get an input factor of this kind, and with one sampled
 * gradient per example (MC Fisher) a layer of 256 or more units gets such an output factor.
 */
final class FactorMatrix {
    private final Tensor dense;
    private final Tensor rows;

    private FactorMatrix(Tensor dense, Tensor rows) {
        this.dense = dense;
        this.rows = rows;
    }

    /** A factor stored as its dense [n, n] matrix. */
    static FactorMatrix dense(Tensor matrix) {
        return new FactorMatrix(matrix, null);
    }

    /** The factor Y^T Y of rows Y [r, n]. */
    static FactorMatrix ofRows(Tensor rows) {
        return new FactorMatrix(null, rows);
    }

    /**
     * Whether r rows are worth keeping instead of the dense n x n sum of their outer products:
     * for r <= n/2 they hold at most half the values, F m costs 2rn <= n^2 per column, and the
     * damped inverse and eigenbasis factor the r x r Gram matrix (about r^2 n + r^3) instead of
     * forming and factoring F (r n^2 + n^3), at most a quarter more per column applied (2rn + r^2).
     */
    static boolean rowsPay(int n, long r) {
        return 2 * r <= n;
    }

    int dim() {
        return dense != null ? dense.dim(0) : rows.dim(1);
    }

    DType dtype() {
        return dense != null ? dense.dtype() : rows.dtype();
    }

    /** Whether the factor is held as rows (see {@link #rows()}). */
    boolean isRows() {
        return rows != null;
    }

    /** The rows Y with F = Y^T Y, [r, n]; only for {@link #isRows()} factors. */
    Tensor rows() {
        return rows;
    }

    /** The dense matrix (computed from the rows when the factor is held as rows). */
    Tensor toDense() {
        return dense != null ? dense : rows.matmul(rows, true, false);
    }

    double trace() {
        if (dense == null) {
            return rows.square().sum().item();
        }
        // The diagonal is gathered where the factor lives and only it is read: one small copy from a device.
        int n = dense.dim(0);
        double t = 0;
        for (double d : dense.reshape(n * n).gather(0, diagonalPositions(n)).toDoubleArray()) {
            t += d;
        }
        return t;
    }

    /** The flat positions i (n + 1) of the diagonal of an n x n matrix, as an index tensor. */
    static Tensor diagonalPositions(int n) {
        long[] diagonal = new long[n];
        for (int i = 0; i < n; i++) {
            diagonal[i] = (long) i * (n + 1);
        }
        return Tensor.of(diagonal);
    }

    /** m F for m [k, n]. */
    Tensor rightMultiply(Tensor m) {
        return dense != null ? m.matmul(dense) : m.matmul(rows, false, true).matmul(rows);
    }

    /** F m for m [n, k]. */
    Tensor leftMultiply(Tensor m) {
        return dense != null ? dense.matmul(m) : rows.matmul(rows.matmul(m), true, false);
    }

    long storedElements() {
        return dense != null ? dense.size() : rows.size();
    }
}
