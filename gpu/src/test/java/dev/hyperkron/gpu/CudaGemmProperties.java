package dev.hyperkron.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.TypedKernels;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * cuBLAS GEMM through the kernel SPI, row-major, against a naive triple loop in double: within
 * (k + 2) eps |alpha| |A||B| + eps |beta C| for every transpose combination, offset and padded
 * leading dimension; beta = 0 overwrites a NaN-filled C; nothing outside C's matrix is touched.
 */
@AddLifecycleHook(RequiresCuda.class)
class CudaGemmProperties {
    private static final double SENTINEL = -12345.0;

    @Property(tries = 200)
    void f32GemmMatchesTheNaiveProduct(@ForAll @IntRange(max = 70) int m, @ForAll @IntRange(max = 70) int n,
                                       @ForAll @IntRange(max = 70) int k, @ForAll boolean transA, @ForAll boolean transB,
                                       @ForAll @IntRange(max = 3) int pad, @ForAll @IntRange(max = 5) int off,
                                       @ForAll @IntRange(max = 3) int scalars, @ForAll long seed) {
        check(true, m, n, k, transA, transB, pad, off, scalars, seed);
    }

    @Property(tries = 200)
    void f64GemmMatchesTheNaiveProduct(@ForAll @IntRange(max = 70) int m, @ForAll @IntRange(max = 70) int n,
                                       @ForAll @IntRange(max = 70) int k, @ForAll boolean transA, @ForAll boolean transB,
                                       @ForAll @IntRange(max = 3) int pad, @ForAll @IntRange(max = 5) int off,
                                       @ForAll @IntRange(max = 3) int scalars, @ForAll long seed) {
        check(false, m, n, k, transA, transB, pad, off, scalars, seed);
    }

    @Property(tries = 6)
    void largeF32GemmMatchesTheVectorKernels(@ForAll @IntRange(min = 300, max = 700) int m,
                                             @ForAll @IntRange(min = 300, max = 700) int n,
                                             @ForAll @IntRange(min = 300, max = 900) int k, @ForAll long seed) {
        check(true, m, n, k, seed % 2 == 0, seed % 3 == 0, 1, 2, 1, seed);
    }

    private static void check(boolean single, int m, int n, int k, boolean transA, boolean transB, int pad, int off,
                              int scalars, long seed) {
        double alpha = new double[] {1.0, -0.75, 2.5, 0.0}[scalars];
        double beta = new double[] {0.0, 1.0, -0.5, 0.0}[scalars];
        Random rnd = new Random(seed);
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        double[] a = random(rnd, off + aRows * lda + 2, single);
        double[] b = random(rnd, off + bRows * ldb + 2, single);
        double[] c = random(rnd, off + m * ldc + 2, single);
        boolean[] inC = new boolean[c.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                inC[off + i * ldc + j] = true;
                if (beta == 0) {
                    c[off + i * ldc + j] = Double.NaN; // must not be read
                }
            }
        }
        for (int i = 0; i < c.length; i++) {
            if (!inC[i]) {
                c[i] = SENTINEL;
            }
        }
        double[] got;
        CudaKernels cuda = new CudaKernels(CudaDevice.get());
        if (single) {
            float[] cf = toFloat(c);
            TypedKernels<float[]> kern = cuda.stagedF32();
            kern.gemm(transA, transB, m, n, k, alpha, toFloat(a), off, lda, toFloat(b), off, ldb, beta, cf, off, ldc);
            got = toDouble(cf);
        } else {
            got = c.clone();
            cuda.stagedF64().gemm(transA, transB, m, n, k, alpha, a, off, lda, b, off, ldb, beta, got, off, ldc);
        }
        double eps = single ? 0x1p-24 : 0x1p-53;
        for (int i = 0; i < c.length; i++) {
            if (!inC[i]) {
                assertEquals(SENTINEL, got[i], "element " + i + " outside C was written");
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[off + p * lda + i] : a[off + i * lda + p];
                    double y = transB ? b[off + j * ldb + p] : b[off + p * ldb + j];
                    exact += x * y;
                    magnitude += Math.abs(x * y);
                }
                double cij = c[off + i * ldc + j];
                double expected = alpha * exact + (beta == 0 ? 0 : beta * cij);
                double bound = (k + 2) * eps * Math.abs(alpha) * magnitude + 2 * eps * (beta == 0 ? 0 : Math.abs(beta * cij))
                        + 2 * eps * Math.abs(expected) + Double.MIN_NORMAL;
                double actual = got[off + i * ldc + j];
                int ri = i, rj = j;
                assertTrue(Math.abs(actual - expected) <= bound, () -> (single ? "F32" : "F64") + " gemm " + m + "x" + n + "x" + k
                        + " transA=" + transA + " transB=" + transB + " at (" + ri + ", " + rj + "): " + actual + " vs " + expected
                        + " (bound " + bound + ")");
            }
        }
    }

    private static double[] random(Random rnd, int n, boolean single) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = single ? (float) (rnd.nextDouble() * 2 - 1) : rnd.nextDouble() * 2 - 1;
        }
        return v;
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
