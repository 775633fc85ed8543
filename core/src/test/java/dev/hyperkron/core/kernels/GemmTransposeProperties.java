package dev.hyperkron.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The register transpose of {@link GemmTransposeF32}, called directly wherever vectors have 16
 * float lanes (so also on JDKs where packing does not use it): every element lands where a naive
 * transpose puts it and nothing else is written; and a transposed-op(B) product with whole
 * panels and depths past a block, which packs through it where it is enabled, equals the naive
 * product.
 */
class GemmTransposeProperties {

    @Property(tries = 60)
    void aBlockIsTransposedAndNothingElseIsWritten(@ForAll @IntRange(min = 16, max = 40) int lds,
                                                   @ForAll @IntRange(min = 16, max = 40) int ldd,
                                                   @ForAll @IntRange(min = 0, max = 7) int from,
                                                   @ForAll @IntRange(min = 0, max = 7) int to, @ForAll long seed) {
        assumeTrue(GemmMicroKernelF32.LANES == GemmTransposeF32.BLOCK, "needs 16-lane float vectors (AVX-512)");
        SplittableRandom rng = new SplittableRandom(seed);
        float[] src = new float[from + 16 * lds];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) rng.nextDouble(-1, 1);
        }
        float[] dst = new float[to + 16 * ldd + 3];
        java.util.Arrays.fill(dst, Float.NaN);
        float[] expected = dst.clone();
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                expected[to + i * ldd + j] = src[from + j * lds + i];
            }
        }
        GemmTransposeF32.block(src, from, lds, dst, to, ldd);
        assertArrayEquals(expected, dst);
    }

    @Property(tries = 20)
    void aProductWithTransposedOpBMatchesTheNaiveProduct(@ForAll @IntRange(min = 1, max = 20) int m,
                                                         @ForAll @IntRange(min = 32, max = 100) int n,
                                                         @ForAll @IntRange(min = 16, max = 300) int k,
                                                         @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[m * k];
        float[] b = new float[n * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rng.nextDouble(-1, 1);
        }
        float[] c = new float[m * n];
        PackedGemmF32.gemm(false, true, m, n, k, 1.0, a, 0, k, b, 0, k, 0.0, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a[i * k + p] * b[j * k + p];
                    magnitude += Math.abs((double) a[i * k + p] * b[j * k + p]);
                }
                assertEquals(sum, c[i * n + j], (k + 2) * 0x1p-24 * magnitude, "C[" + i + ", " + j + "]");
            }
        }
    }
}
