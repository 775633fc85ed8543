package dev.hyperkron.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The dot-product GEMM for narrow C ({@link GemmDotKernelF32} and its generated F64 twin),
 * called directly so that it is checked on every JDK, including those where
 * {@link GemmDotKernelF32#pays} keeps the GEMM on the packed path: agreement with a naive
 * product in double within a k * eps bound, on tile and vector edges, with alpha and beta
 * (beta = 0 must not read C, which holds NaN then); rows outside the share and the padding of
 * C untouched; and the same C whatever rows a thread's share starts at.
 */
class GemmDotKernelProperties {

    @Property(tries = 200)
    void dotProductsMatchNaiveProductAndDoNotDependOnTheShare(
            @ForAll @IntRange(min = 1, max = 30) int m, @ForAll @IntRange(min = 1, max = 16) int n,
            @ForAll @IntRange(min = 1, max = 300) int k, @ForAll @IntRange(min = 0, max = 30) int split,
            @ForAll @IntRange(min = 0, max = 3) int pad, @ForAll @IntRange(min = 0, max = 5) int off,
            @ForAll @DoubleRange(min = -2, max = 2) double anyAlpha, @ForAll boolean overwrite, @ForAll boolean single,
            @ForAll long seed) {
        double alpha = (float) anyAlpha;
        double beta = overwrite ? 0 : -0.75;
        int lda = k + pad;
        int ldbt = k + 2 * pad;
        int ldc = n + pad;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = values(rng, off + m * lda);
        double[] bt = values(rng, off + n * ldbt);
        double[] c = values(rng, off + m * ldc + 1);
        double[] before = c.clone();
        if (overwrite) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, off + i * ldc, off + i * ldc + n, Double.NaN);
            }
        }
        int s = Math.min(split, m);
        double[] whole = run(single, 0, m, m, n, k, alpha, a, off, lda, bt, ldbt, beta, c, ldc);
        double[] shared = run(single, 0, s, m, n, k, alpha, a, off, lda, bt, ldbt, beta, c, ldc);
        shared = run(single, s, m, m, n, k, alpha, a, off, lda, bt, ldbt, beta, shared, ldc);
        assertArrayEquals(whole, shared, "C computed in one share and split at row " + s);
        double eps = single ? 0x1p-24 : 0x1p-53;
        for (int at = 0; at < c.length; at++) {
            int rel = at - off;
            int i = rel / ldc;
            int j = rel % ldc;
            if (rel < 0 || i >= m || j >= n) {
                assertEquals(c[at], whole[at], "element " + at + " outside C changed");
                continue;
            }
            double sum = 0;
            double magnitude = 0;
            for (int p = 0; p < k; p++) {
                double term = a[off + i * lda + p] * bt[off + j * ldbt + p];
                sum += term;
                magnitude += Math.abs(term);
            }
            double expected = overwrite ? alpha * sum : alpha * sum + beta * before[at];
            double bound = 2 * (k + 2) * eps * (Math.abs(alpha) * magnitude + Math.abs(beta * before[at]))
                    + Double.MIN_NORMAL;
            assertEquals(expected, whole[at], bound, "C[" + i + "][" + j + "], m=" + m + " n=" + n + " k=" + k);
        }
    }

    /** Rows [i0, i1) of the product into a copy of c, returned widened to double. */
    private static double[] run(boolean single, int i0, int i1, int m, int n, int k, double alpha, double[] a, int off,
                                int lda, double[] bt, int ldbt, double beta, double[] c, int ldc) {
        if (!single) {
            double[] out = c.clone();
            GemmDotKernelF64.multiply(i0, i1, n, k, alpha, a, off, lda, bt, off, ldbt, beta, out, off, ldc);
            return out;
        }
        float[] out = toFloat(c);
        GemmDotKernelF32.multiply(i0, i1, n, k, (float) alpha, toFloat(a), off, lda, toFloat(bt), off, ldbt,
                (float) beta, out, off, ldc);
        double[] widened = new double[out.length];
        for (int i = 0; i < out.length; i++) {
            widened[i] = out[i];
        }
        return widened;
    }

    private static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }

    /** Values exactly representable in float, so that both types see the same operands. */
    private static double[] values(SplittableRandom rng, int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rng.nextDouble() * 4 - 2);
        }
        return x;
    }
}
