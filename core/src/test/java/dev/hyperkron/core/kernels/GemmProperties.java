package dev.hyperkron.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The GEMM contract of {@link TypedKernels#gemm}, for every kernel set and both float types:
 * agreement with a naive triple loop in double within a k * eps * |alpha| |A| |B| bound, for all
 * transpose combinations, offsets, padded leading dimensions, alpha and beta (beta = 0 must not
 * read C, which holds NaN then), with sizes around the micro-tile and cache-block edges; no
 * element of the C array outside the product is touched; and results do not depend on the
 * thread count.
 */
class GemmProperties {

    /** A kernel set and float type under test. */
    enum Target {
        VECTOR_F32, VECTOR_F64, SCALAR_F32, SCALAR_F64;

        Kernels kernels() {
            return this == VECTOR_F32 || this == VECTOR_F64 ? Kernels.vector() : Kernels.scalar();
        }

        boolean single() {
            return this == VECTOR_F32 || this == SCALAR_F32;
        }

        /** Unit roundoff of the float type. */
        double eps() {
            return single() ? 0x1p-24 : 0x1p-53;
        }
    }

    /** One call: sizes, flags, layout padding, scalars and the seed for the operand values. */
    record Case(int m, int n, int k, boolean transA, boolean transB, int aOff, int bOff, int cOff,
                int padA, int padB, int padC, double alpha, double beta, long seed) {

        int aRows() {
            return transA ? k : m;
        }

        int aCols() {
            return transA ? m : k;
        }

        int bRows() {
            return transB ? n : k;
        }

        int bCols() {
            return transB ? k : n;
        }

        int lda() {
            return aCols() + padA;
        }

        int ldb() {
            return bCols() + padB;
        }

        int ldc() {
            return n + padC;
        }
    }

    /** Sizes on and next to the 6 x 16 (6 x 8 for F64) tiles and the 144 / 256 blocks, or any up to 300. */
    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(
                Arbitraries.of(1, 2, 5, 6, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 143, 144, 145, 255, 256, 257),
                Arbitraries.integers().between(1, 300));
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> size = sizes();
        Arbitrary<Integer> offset = Arbitraries.integers().between(0, 7);
        Arbitrary<Integer> pad = Arbitraries.integers().between(0, 5);
        Arbitrary<Double> alpha = Arbitraries.of(1.0, -1.0, 0.5, 2.25, -0.375);
        Arbitrary<Double> beta = Arbitraries.of(0.0, 0.0, 1.0, -1.5, 0.5);
        return Combinators.combine(size, size, size, Arbitraries.of(false, true), Arbitraries.of(false, true),
                        offset, offset, offset)
                .flatAs((m, n, k, ta, tb, ao, bo, co) -> Combinators.combine(pad, pad, pad, alpha, beta,
                                Arbitraries.longs())
                        .as((pa, pb, pc, al, be, seed) -> new Case(m, n, k, ta, tb, ao, bo, co, pa, pb, pc, al, be,
                                seed)));
    }

    @Property(tries = 60)
    void gemmMatchesNaiveProductForEveryLayout(@ForAll("cases") Case c, @ForAll Target target) {
        checkAgainstNaive(c, target);
    }

    @Example
    void gemmHandlesProductsWiderThanOneColumnBlockAndDeeperThanOneDepthBlock() {
        GemmBlocking blocking = PackedGemmF32.BLOCKING;
        for (Target target : Target.values()) {
            checkAgainstNaive(new Case(2, blocking.nc() + 29, blocking.kc() + 3, false, true,
                    3, 1, 2, 1, 2, 3, 1.5, -0.5, 11), target);
            checkAgainstNaive(new Case(blocking.mc() + 7, 20, 2 * blocking.kc() + 1, true, false,
                    0, 5, 0, 0, 0, 4, -1.0, 0.0, 12), target);
        }
    }

    /** Cache blockings far smaller than any machine's, so that small products cross every block edge. */
    @Provide
    Arbitrary<GemmBlocking> blockings() {
        return Combinators.combine(Arbitraries.integers().between(1, 40), Arbitraries.integers().between(1, 50),
                Arbitraries.integers().between(1, 120)).as(GemmBlocking::new);
    }

    @Property(tries = 60)
    void packedGemmMatchesNaiveProductUnderAnyCacheBlocking(@ForAll("cases") Case c, @ForAll("blockings") GemmBlocking blocking,
                                                           @ForAll boolean single) {
        checkAgainstNaive(c, single ? Target.VECTOR_F32 : Target.VECTOR_F64, blocking);
    }

    @Property(tries = 10)
    void packedGemmResultDoesNotDependOnThreadCountUnderAnyCacheBlocking(@ForAll("cases") Case shape,
                                                                         @ForAll("blockings") GemmBlocking blocking) {
        // Big enough to run in parallel; 4 and more threads split C into 2-D grids of blocks.
        Case c = new Case(81 + shape.m() % 120, 81 + shape.n() % 120, 81 + shape.k() % 120, shape.transA(),
                shape.transB(), shape.aOff(), shape.bOff(), shape.cOff(), shape.padA(), shape.padB(), shape.padC(),
                shape.alpha(), shape.beta(), shape.seed());
        int threads = Parallel.threads();
        try {
            for (Target target : new Target[] {Target.VECTOR_F32, Target.VECTOR_F64}) {
                Parallel.setThreads(1);
                double[] one = run(c, target, blocking);
                for (int t : new int[] {2, 3, 5, 16}) {
                    Parallel.setThreads(t);
                    assertArrayEquals(one, run(c, target, blocking), "C with 1 and " + t + " threads, " + c + ", " + blocking);
                }
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Example
    void blockingFromCacheSizesFitsItsCachesAndTheTile() {
        for (CacheSizes caches : new CacheSizes[] {new CacheSizes(256 << 10, 1 << 20), new CacheSizes(2 << 20, 2 << 20),
                new CacheSizes(1 << 20, 4 << 20), new CacheSizes(1 << 10, 1 << 10)}) {
            for (int bytes : new int[] {4, 8}) {
                for (int nr : new int[] {8, 16, 32}) {
                    GemmBlocking b = GemmBlocking.forCaches(caches, bytes, 6, nr);
                    assertTrue(b.kc() >= 128 && b.kc() <= 1024 && b.kc() % 16 == 0, b + " for " + caches);
                    assertTrue(b.mc() % 6 == 0 && b.nc() % nr == 0, b + " for " + caches);
                    // The micro-panel of op(B) and the block of op(A) share L2, unless the floors rule.
                    assertTrue(b.kc() == 128 || (long) b.kc() * nr * bytes <= caches.l2() / 8, b + " for " + caches);
                    assertTrue(b.mc() == 6 || (long) (b.mc() + nr) * b.kc() * bytes <= caches.l2() / 2, b + " for " + caches);
                    assertTrue(b.nc() == nr || (long) b.kc() * b.nc() * bytes <= caches.l3PerCore(), b + " for " + caches);
                }
            }
        }
        // A 1 MiB L2 gives AVX-512's 6 x 32-float tile the depth measured fastest.
        assertEquals(new GemmBlocking(1024, 48, 768), GemmBlocking.forCaches(new CacheSizes(1 << 20, 4 << 20), 4, 6, 32));
    }

    @Example
    void narrowProductsOfTransposedAAreComputedTransposedToTheSameResult() {
        // n below two vectors, op(A) stored transposed: computed as C^T = op(B)^T op(A)^T.
        for (Target target : Target.values()) {
            checkAgainstNaive(new Case(256, 10, 128, true, false, 3, 1, 2, 1, 2, 3, 1.5, -0.5, 21), target);
            checkAgainstNaive(new Case(97, 5, 33, true, true, 0, 4, 1, 0, 3, 0, -1.0, 0.0, 22), target);
        }
        checkMatchesNaiveAndOneThread(new Case(1500, 10, 300, true, false, 1, 0, 2, 2, 0, 1, 1.0, 0.5, 23));
    }

    @Example
    void xWtOfABatchNarrowerThanTheLayerIsComputedTransposedToTheSameResult() {
        // op(A) untransposed, op(B) transposed, (n - m) k > 2 m n: computed as C^T = op(B)^T op(A)^T.
        checkMatchesNaiveAndOneThread(new Case(20, 300, 400, false, true, 2, 1, 3, 1, 0, 2, 1.0, 0.0, 31));
        checkMatchesNaiveAndOneThread(new Case(7, 130, 90, false, true, 0, 3, 1, 2, 1, 0, -0.5, 1.5, 32));
    }

    /** The vector kernels' C equals the naive product's, and with 2, 3 and 16 threads equals that with 1 to the bit. */
    private static void checkMatchesNaiveAndOneThread(Case c) {
        int threads = Parallel.threads();
        try {
            for (Target target : new Target[] {Target.VECTOR_F32, Target.VECTOR_F64}) {
                checkAgainstNaive(c, target);
                Parallel.setThreads(1);
                double[] one = run(c, target);
                for (int t : new int[] {2, 3, 16}) {
                    Parallel.setThreads(t);
                    assertArrayEquals(one, run(c, target), "C with 1 and " + t + " threads, " + c);
                }
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Example
    void vectorGemmHandlesProductsTooDeepToPackAllOfBAtOnce() {
        for (Target target : new Target[] {Target.VECTOR_F32, Target.VECTOR_F64}) {
            checkAgainstNaive(new Case(7, 20, 100_003, true, false, 1, 2, 0, 3, 0, 1, 0.5, 1.0, 13), target);
        }
    }

    @Example
    void emptyDepthScalesCByBeta() {
        for (Target target : Target.values()) {
            checkAgainstNaive(new Case(9, 17, 0, false, false, 0, 0, 1, 0, 0, 2, 2.0, -0.5, 1), target);
            checkAgainstNaive(new Case(9, 17, 0, true, true, 0, 0, 1, 0, 0, 2, 2.0, 0.0, 2), target);
        }
    }

    @Example
    void emptyOutputTouchesNothing() {
        for (Target target : Target.values()) {
            checkAgainstNaive(new Case(0, 17, 5, false, false, 1, 0, 1, 0, 0, 2, 2.0, -0.5, 3), target);
            checkAgainstNaive(new Case(9, 0, 5, true, false, 0, 2, 1, 0, 0, 2, 2.0, 0.0, 4), target);
        }
    }

    @Property(tries = 20)
    void gemmResultDoesNotDependOnThreadCount(@ForAll("cases") Case shape, @ForAll Target target) {
        // Big enough for the kernels to split the work over threads.
        Case c = new Case(90 + shape.m() % 211, 90 + shape.n() % 211, 90 + shape.k() % 211, shape.transA(),
                shape.transB(), shape.aOff(), shape.bOff(), shape.cOff(), shape.padA(), shape.padB(), shape.padC(),
                shape.alpha(), shape.beta(), shape.seed());
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            double[] one = run(c, target);
            Parallel.setThreads(2);
            double[] two = run(c, target);
            assertArrayEquals(one, two, "C with 1 and with 2 threads, " + c + " on " + target);
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Example
    void vectorGemmRejectsALeadingDimensionSmallerThanTheRow() {
        float[] a = new float[6];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.vector().f32()
                .gemm(false, false, 2, 2, 3, 1.0, a, 0, 2, new float[6], 0, 2, 0.0, new float[4], 0, 2));
        assertTrue(e.getMessage().contains("lda=2"), e.getMessage());
    }

    @Example
    void vectorGemmRejectsAnOperandThatDoesNotFitItsArray() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.vector().f64()
                .gemm(false, true, 2, 3, 4, 1.0, new double[8], 0, 4, new double[12], 1, 4, 0.0,
                        new double[6], 0, 3));
        assertTrue(e.getMessage().contains("stored B"), e.getMessage());
    }

    private static void checkAgainstNaive(Case c, Target target) {
        checkAgainstNaive(c, target, null);
    }

    /** With a blocking, calls the packed GEMM of the target's type directly under that blocking. */
    private static void checkAgainstNaive(Case c, Target target, GemmBlocking blocking) {
        Operands x = Operands.of(c);
        double[] got = run(c, target, blocking);
        double[] expected = x.c.clone();
        for (int i = 0; i < c.m(); i++) {
            for (int j = 0; j < c.n(); j++) {
                double sum = 0;
                double magnitude = 0;
                for (int p = 0; p < c.k(); p++) {
                    double term = x.a(c, i, p) * x.b(c, p, j);
                    sum += term;
                    magnitude += Math.abs(term);
                }
                int at = c.cOff() + i * c.ldc() + j;
                double old = x.c[at];
                expected[at] = c.beta() == 0 ? c.alpha() * sum : c.alpha() * sum + c.beta() * old;
                double bound = 2 * (c.k() + 2) * target.eps()
                        * (Math.abs(c.alpha()) * magnitude + (c.beta() == 0 ? 0 : Math.abs(c.beta() * old)))
                        + Double.MIN_NORMAL;
                if (!(Math.abs(got[at] - expected[at]) <= bound)) {
                    throw new AssertionError("C[" + i + "][" + j + "] = " + got[at] + ", expected " + expected[at]
                            + " within " + bound + ", " + c + " on " + target + (blocking == null ? "" : ", " + blocking));
                }
            }
        }
        for (int at = 0; at < got.length; at++) {
            if (!insideProduct(c, at)) {
                assertEquals(x.c[at], got[at], "element " + at + " outside the product changed, " + c);
            }
        }
    }

    private static boolean insideProduct(Case c, int at) {
        int rel = at - c.cOff();
        return rel >= 0 && rel / c.ldc() < c.m() && rel % c.ldc() < c.n();
    }

    private static double[] run(Case c, Target target) {
        return run(c, target, null);
    }

    /**
     * Runs the case on the target (with a blocking: on the packed GEMM of its type, directly)
     * and returns the whole C array, widened to double.
     */
    private static double[] run(Case c, Target target, GemmBlocking blocking) {
        Operands x = Operands.of(c);
        if (target.single()) {
            float[] out = toFloat(x.c);
            if (blocking != null) {
                PackedGemmF32.gemm(blocking, c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), toFloat(x.a),
                        c.aOff(), c.lda(), toFloat(x.b), c.bOff(), c.ldb(), c.beta(), out, c.cOff(), c.ldc());
            } else {
                target.kernels().f32().gemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), toFloat(x.a),
                        c.aOff(), c.lda(), toFloat(x.b), c.bOff(), c.ldb(), c.beta(), out, c.cOff(), c.ldc());
            }
            double[] widened = new double[out.length];
            for (int i = 0; i < out.length; i++) {
                widened[i] = out[i];
            }
            return widened;
        }
        double[] out = x.c.clone();
        if (blocking != null) {
            PackedGemmF64.gemm(blocking, c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), x.a, c.aOff(),
                    c.lda(), x.b, c.bOff(), c.ldb(), c.beta(), out, c.cOff(), c.ldc());
        } else {
            target.kernels().f64().gemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), x.a, c.aOff(),
                    c.lda(), x.b, c.bOff(), c.ldb(), c.beta(), out, c.cOff(), c.ldc());
        }
        return out;
    }

    private static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }

    /**
     * The arrays of a case, with values exactly representable in float so that both types see
     * the same operands; padding holds values that must not leak into the product, and C holds
     * NaN where beta = 0 says it must not be read.
     */
    private record Operands(double[] a, double[] b, double[] c) {

        static Operands of(Case c) {
            SplittableRandom rng = new SplittableRandom(c.seed());
            double[] a = values(rng, c.aOff() + c.aRows() * c.lda() + 3);
            double[] b = values(rng, c.bOff() + c.bRows() * c.ldb() + 3);
            double[] out = values(rng, c.cOff() + c.m() * c.ldc() + 3);
            if (c.beta() == 0) {
                for (int at = 0; at < out.length; at++) {
                    if (insideProduct(c, at)) {
                        out[at] = Double.NaN;
                    }
                }
            }
            return new Operands(a, b, out);
        }

        double a(Case c, int i, int p) {
            return c.transA() ? a[c.aOff() + p * c.lda() + i] : a[c.aOff() + i * c.lda() + p];
        }

        double b(Case c, int p, int j) {
            return c.transB() ? b[c.bOff() + j * c.ldb() + p] : b[c.bOff() + p * c.ldb() + j];
        }

        private static double[] values(SplittableRandom rng, int size) {
            double[] x = new double[size];
            for (int i = 0; i < size; i++) {
                x[i] = (float) (rng.nextDouble() * 4 - 2);
            }
            return x;
        }
    }
}
