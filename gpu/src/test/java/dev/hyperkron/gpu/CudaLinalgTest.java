package dev.hyperkron.gpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.linalg.NotPositiveDefiniteException;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * cuSOLVER Cholesky, SPD inverse and eigendecomposition on random SPD matrices (the KFAC factor
 * shape: X^T X / m + damping), checked by reconstruction: L L^T = A, A A^-1 = I, A V = V diag(w).
 */
@AddLifecycleHook(RequiresCuda.class)
class CudaLinalgTest {

    @Property(tries = 12)
    void choleskyFactorReconstructsTheMatrix(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
        double[] a = spd(n, seed);
        CudaDevice device = CudaDevice.get();
        try (DeviceArray d = DeviceArray.upload(device, a)) {
            new CudaLinalg(device).choleskyInPlace(d, n);
            double[] l = d.downloadF64();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (j > i) {
                        assertTrue(l[i * n + j] == 0, "upper triangle not zeroed at " + i + "," + j);
                    }
                    double s = 0;
                    for (int p = 0; p <= Math.min(i, j); p++) {
                        s += l[i * n + p] * l[j * n + p];
                    }
                    assertClose(a[i * n + j], s, 1e-10 * n, "L L^T at " + i + "," + j);
                }
            }
        }
    }

    @Property(tries = 12)
    void spdInverseTimesTheMatrixIsTheIdentity(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
        double[] a = spd(n, seed);
        CudaDevice device = CudaDevice.get();
        try (DeviceArray d = DeviceArray.upload(device, a); DeviceArray inv = new CudaLinalg(device).spdInverse(d, n)) {
            double[] x = inv.downloadF64();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < n; p++) {
                        s += a[i * n + p] * x[p * n + j];
                    }
                    assertClose(i == j ? 1 : 0, s, 1e-9 * n, "A A^-1 at " + i + "," + j);
                }
            }
        }
    }

    @Property(tries = 12)
    void eigenvectorsAreScaledByTheirEigenvalues(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
        double[] a = spd(n, seed);
        CudaDevice device = CudaDevice.get();
        try (DeviceArray d = DeviceArray.upload(device, a)) {
            CudaLinalg.Eigen e = new CudaLinalg(device).symmetricEigen(d, n);
            double[] v = e.vectorsAsColumns();
            for (int j = 0; j < n; j++) {
                if (j > 0) {
                    assertTrue(e.values()[j - 1] <= e.values()[j], "eigenvalues not ascending at " + j);
                }
                for (int i = 0; i < n; i++) {
                    double av = 0;
                    for (int p = 0; p < n; p++) {
                        av += a[i * n + p] * v[p * n + j];
                    }
                    assertClose(e.values()[j] * v[i * n + j], av, 1e-9 * n, "(A v - w v) of eigenpair " + j + " at " + i);
                }
            }
        }
    }

    @Property(tries = 3)
    void anIndefiniteMatrixIsRejectedWithItsPivot(@ForAll @IntRange(min = 2, max = 20) int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = i == n / 2 ? -1 : 1;
        }
        CudaDevice device = CudaDevice.get();
        try (DeviceArray d = DeviceArray.upload(device, a)) {
            NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                    () -> new CudaLinalg(device).choleskyInPlace(d, n));
            assertTrue(e.pivot() == n / 2, e.getMessage());
        }
    }

    private static double[] spd(int n, long seed) {
        Random rnd = new Random(seed);
        int m = n + 5;
        double[] x = new double[m * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int r = 0; r < m; r++) {
                    s += x[r * n + i] * x[r * n + j];
                }
                a[i * n + j] = s / m + (i == j ? 1e-3 : 0);
            }
        }
        return a;
    }

    private static void assertClose(double expected, double actual, double tolerance, String what) {
        assertTrue(Math.abs(expected - actual) <= tolerance * Math.max(1, Math.abs(expected)),
                () -> what + ": " + actual + " vs " + expected);
    }
}
