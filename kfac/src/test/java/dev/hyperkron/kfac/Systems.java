package dev.hyperkron.kfac;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * Random dense symmetric systems with a chosen spectrum, on a two-entry parameter vector, and
 * their exact solutions by EJML (independently of Hyperkron's own linear algebra).
 */
final class Systems {
    private Systems() {
    }

    /** A domain of n elements split over two named entries (so that every operator sees more than one). */
    static Params domain(int n) {
        int half = n / 2;
        return Params.constants(List.of("a", "b"), List.of(Tensor.zeros(DType.F64, half), Tensor.zeros(DType.F64, n - half)));
    }

    /** A random vector of the domain. */
    static Params randomVector(Params domain, Rng rng) {
        return domain.unflatten(Tensor.randn(rng, DType.F64, (int) domain.numel()));
    }

    /** Q diag(eigenvalues) Q^T with a random orthogonal Q (EJML's QR of a Gaussian matrix). */
    static Tensor withSpectrum(Rng rng, double[] eigenvalues) {
        int n = eigenvalues.length;
        DMatrixRMaj gaussian = new DMatrixRMaj(n, n, true, Tensor.randn(rng, DType.F64, n, n).toDoubleArray());
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(n, n);
        assertTrue(qr.decompose(gaussian));
        DMatrixRMaj q = qr.getQ(null, false);
        DMatrixRMaj scaled = q.copy();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                scaled.set(i, j, q.get(i, j) * eigenvalues[j]);
            }
        }
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransB(scaled, q, m);
        // exact symmetry, whatever the rounding of the product
        DMatrixRMaj t = m.copy();
        CommonOps_DDRM.transpose(m, t);
        CommonOps_DDRM.add(0.5, m, 0.5, t, m);
        return Tensor.of(m.getData(), n, n);
    }

    /** An SPD matrix with eigenvalues log-spaced from 1 to {@code condition}. */
    static Tensor spd(Rng rng, int n, double condition) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = n == 1 ? 1 : Math.pow(condition, (double) i / (n - 1));
        }
        return withSpectrum(rng, values);
    }

    /** A symmetric matrix with eigenvalues of magnitude in [0.5, 2], at least one of them negative. */
    static Tensor indefinite(Rng rng, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            double magnitude = 0.5 + 1.5 * rng.nextDouble();
            values[i] = i == 0 || rng.nextDouble() < 0.5 ? -magnitude : magnitude;
        }
        return withSpectrum(rng, values);
    }

    /** x = M^{-1} v by EJML's LU. */
    static Tensor solve(Tensor m, Tensor v) {
        int n = m.dim(0);
        DMatrixRMaj a = new DMatrixRMaj(n, n, true, m.toDoubleArray());
        DMatrixRMaj b = new DMatrixRMaj(n, 1, true, v.cast(DType.F64).toDoubleArray());
        DMatrixRMaj x = new DMatrixRMaj(n, 1);
        assertTrue(CommonOps_DDRM.solve(a, b, x));
        return Tensor.of(x.getData(), n);
    }
}
