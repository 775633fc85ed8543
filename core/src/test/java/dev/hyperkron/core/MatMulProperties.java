package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.kernels.UnaryOp;
import java.util.Arrays;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Matrix products over the last two axes, every transpose flag, batch axes broadcast, against triple loops. */
class MatMulProperties {

    /** Batch shapes that broadcast, the product's m x k x n and the transpose flags. */
    record Case(int[] batchA, int[] batchB, int m, int k, int n, boolean transA, boolean transB) {
        int[] shapeA() {
            return withMatrix(batchA, transA ? k : m, transA ? m : k);
        }

        int[] shapeB() {
            return withMatrix(batchB, transB ? n : k, transB ? k : n);
        }

        @Override
        public String toString() {
            return Arrays.toString(shapeA()) + (transA ? "^T" : "") + " x " + Arrays.toString(shapeB()) + (transB ? "^T" : "");
        }
    }

    static int[] withMatrix(int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }

    @Property(tries = 500)
    void matmulMatchesTripleLoopsForAllTransposeFlagsAndBroadcastBatches(@ForAll("cases") Case c,
            @ForAll("floating") DType dtype, @ForAll long seed) {
        Tensor a = TestTensors.random(dtype, c.shapeA(), seed);
        Tensor b = TestTensors.random(dtype, c.shapeB(), seed + 1);
        assertMatchesLoops(c, a, b, a.matmul(b, c.transA, c.transB));
        if (!c.transA && !c.transB) {
            TestTensors.assertIdentical(a.matmul(b, false, false), a.matmul(b));
        }
    }

    private static void assertMatchesLoops(Case c, Tensor a, Tensor b, Tensor out) {
        NaiveTensor na = NaiveTensor.of(a);
        NaiveTensor nb = NaiveTensor.of(b);
        int[] batch = NaiveTensor.broadcastDims(c.batchA, c.batchB);
        NaiveTensor expected = new NaiveTensor(withMatrix(batch, c.m, c.n));
        NaiveTensor scale = new NaiveTensor(expected.dims);
        NaiveTensor batchesA = new NaiveTensor(c.batchA);
        NaiveTensor batchesB = new NaiveTensor(c.batchB);
        for (int i = 0; i < expected.size(); i++) {
            int[] idx = expected.index(i);
            int[] bi = Arrays.copyOf(idx, batch.length);
            int row = idx[batch.length];
            int col = idx[batch.length + 1];
            int baseA = batchesA.flat(batchIndex(batchesA, bi)) * c.m * c.k;
            int baseB = batchesB.flat(batchIndex(batchesB, bi)) * c.k * c.n;
            double sum = 0;
            double abs = 0;
            for (int p = 0; p < c.k; p++) {
                double x = na.data[baseA + (c.transA ? p * c.m + row : row * c.k + p)];
                double y = nb.data[baseB + (c.transB ? col * c.k + p : p * c.n + col)];
                sum += x * y;
                abs += Math.abs(x * y);
            }
            expected.data[i] = sum;
            scale.data[i] = abs;
        }
        TestTensors.assertCloseScaled(out, expected, scale, (c.k + 2) * TestTensors.eps(out.dtype()));
    }

    /** The multi-index into an operand's batch dims that a broadcast batch index reads. */
    private static int[] batchIndex(NaiveTensor operandBatch, int[] broadcastIndex) {
        int[] dims = operandBatch.dims;
        int[] idx = new int[dims.length];
        int lead = broadcastIndex.length - dims.length;
        for (int i = 0; i < dims.length; i++) {
            idx[i] = dims[i] == 1 ? 0 : broadcastIndex[lead + i];
        }
        return idx;
    }

    @Example
    void largeAndManyBatchedProductsMatchTripleLoops() {
        Case[] cases = {
            new Case(new int[0], new int[0], 100, 64, 72, false, false),
            new Case(new int[0], new int[0], 100, 64, 72, true, true),
            new Case(new int[] {2}, new int[0], 70, 60, 80, false, true),
            new Case(new int[] {2}, new int[] {1}, 70, 60, 80, true, false),
            new Case(new int[] {4200}, new int[] {4200}, 8, 8, 8, false, false),
            new Case(new int[] {1100}, new int[0], 8, 8, 8, false, false),
        };
        for (Case c : cases) {
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                Tensor a = TestTensors.random(dtype, c.shapeA(), 11);
                Tensor b = TestTensors.random(dtype, c.shapeB(), 12);
                assertMatchesLoops(c, a, b, a.matmul(b, c.transA, c.transB));
            }
        }
    }

    @Example
    void matmulPropagatesNaNAndInfinityFromAnyOperand() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor a = Tensor.of(new double[] {1, Double.NaN, 2, 3}, 2, 2).cast(dtype);
            Tensor b = Tensor.of(new double[] {1, 0, 0, 1}, 2, 2).cast(dtype);
            Tensor ab = a.matmul(b);
            assertTrue(Double.isNaN(ab.get(0, 0)) && Double.isNaN(ab.get(0, 1)), ab::toString);
            Tensor inf = Tensor.of(new double[] {Double.POSITIVE_INFINITY, 1, 1, 1}, 2, 2).cast(dtype);
            Tensor zeroRow = Tensor.of(new double[] {0, 1, 1, 1}, 2, 2).cast(dtype);
            // 0 * inf is NaN in IEEE arithmetic; skipping zero multipliers would hide it.
            assertTrue(Double.isNaN(zeroRow.matmul(inf).get(0, 0)), () -> zeroRow.matmul(inf).toString());
        }
    }

    @Example
    void matmulRejectsBadShapesNamingBothOperands() {
        int[][][] bad = {
            {{3}, {3, 2}},
            {{2, 3}, {4, 2}},
            {{2, 2, 3}, {3, 3, 4}},
        };
        for (int[][] shapes : bad) {
            Tensor a = Tensor.zeros(DType.F32, shapes[0]);
            Tensor b = Tensor.zeros(DType.F32, shapes[1]);
            ShapeException e = assertThrows(ShapeException.class, () -> a.matmul(b));
            BinaryOpProperties.assertMessageNames(e, "matmul", shapes[0], shapes[1]);
        }
        Tensor ints = Tensor.of(new long[] {1, 2, 3, 4}, 2, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ints.matmul(ints)).getMessage().startsWith("matmul:"));
        Tensor f32 = Tensor.zeros(DType.F32, 2, 2);
        Tensor f64 = Tensor.zeros(DType.F64, 2, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> f32.matmul(f64)).getMessage().startsWith("matmul:"));
    }

    @Property(tries = 300)
    void aLinearLayerIsTheProductPlusBiasThenTheActivationToTheBit(@ForAll("floating") DType dtype, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 300) int rows, @ForAll @IntRange(min = 1, max = 3) int positions,
            @ForAll @IntRange(min = 1, max = 40) int in, @ForAll @IntRange(min = 1, max = 300) int out,
            @ForAll boolean withBias, @ForAll("activations") Optional<UnaryOp> activation) {
        // Up to 270,000 outputs: large layers take the parallel path over rows.
        int[] inputDims = positions == 1 ? new int[] {rows, in} : new int[] {rows, positions, in};
        Tensor x = TestTensors.random(dtype, inputDims, seed);
        Tensor weight = TestTensors.random(dtype, new int[] {out, in}, seed + 1);
        Tensor bias = withBias ? TestTensors.random(dtype, new int[] {out}, seed + 2) : null;
        Tensor expected = x.matmul(weight, false, true);
        if (withBias) {
            expected = expected.add(bias);
        }
        if (activation.isPresent()) {
            expected = Elementwise.unary(activation.get(), expected);
        }
        TestTensors.assertIdentical(expected, x.linear(weight, bias, activation.orElse(null)));
    }

    @Example
    void aLinearLayerNamesTheShapesItCannotMultiply() {
        Tensor x = Tensor.zeros(DType.F32, 4, 3);
        ShapeException wrongWeight = assertThrows(ShapeException.class, () -> x.linear(Tensor.zeros(DType.F32, 5, 2), null, null));
        assertTrue(wrongWeight.getMessage().contains("[5, 2]") && wrongWeight.getMessage().contains("[4, 3]"), wrongWeight.getMessage());
        ShapeException wrongBias = assertThrows(ShapeException.class,
                () -> x.linear(Tensor.zeros(DType.F32, 5, 3), Tensor.zeros(DType.F32, 4), null));
        assertTrue(wrongBias.getMessage().contains("bias"), wrongBias.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> x.linear(Tensor.zeros(DType.F64, 5, 3), null, null), "dtypes differ");
    }

    @Provide
    Arbitrary<Optional<UnaryOp>> activations() {
        return net.jqwik.api.Arbitraries.of(UnaryOp.values()).optional(0.8);
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(ShapeArbitraries.broadcastable(2, 2), ShapeArbitraries.dim(), ShapeArbitraries.dim(),
                ShapeArbitraries.dim(), net.jqwik.api.Arbitraries.of(true, false), net.jqwik.api.Arbitraries.of(true, false))
                .as((batches, m, k, n, ta, tb) -> new Case(batches[0], batches[1], m, k, n, ta, tb));
    }

    @Provide
    Arbitrary<DType> floating() {
        return ShapeArbitraries.floating();
    }
}
