package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** gather/scatterAdd and indexSelect/indexAdd against index loops, and each pair's adjoint identity. */
class IndexingProperties {

    /** Integer index tensors may be I64 or I32 (or U8); the ops read them as longs. */
    private static Tensor indexTensor(int[] dims, int bound, long seed) {
        Tensor t = TestTensors.indices(dims, Math.max(bound, 1), seed);
        return seed % 3 == 0 ? t.cast(DType.I32) : t;
    }

    @Property(tries = 300)
    void gatherReadsAlongTheAxisAtTheGivenIndicesAndScatterAddIsItsAdjoint(@ForAll("inputs") int[] dims,
            @ForAll int axisSeed, @ForAll long seed, @ForAll("floating") DType dtype) {
        int rank = dims.length;
        int axis = Math.floorMod(axisSeed, 2 * rank) - rank;
        int a = Math.floorMod(axis, rank);
        Random r = new Random(seed);
        int[] indexDims = new int[rank];
        // Half the time the index covers the input except along the axis (the aligned fast path).
        boolean coversRest = r.nextBoolean();
        for (int i = 0; i < rank; i++) {
            indexDims[i] = i == a ? r.nextInt(5) : coversRest ? dims[i] : r.nextInt(dims[i] + 1);
        }
        if (dims[a] == 0) {
            indexDims[a] = 0;
        }
        Tensor x = TestTensors.random(dtype, dims, seed);
        Tensor index = indexTensor(indexDims, dims[a], seed);
        NaiveTensor nx = NaiveTensor.of(x);
        NaiveTensor ni = NaiveTensor.of(index);
        NaiveTensor expected = new NaiveTensor(indexDims);
        for (int i = 0; i < expected.size(); i++) {
            int[] idx = expected.index(i);
            idx[a] = (int) ni.data[i];
            expected.data[i] = nx.get(idx);
        }
        Tensor gathered = x.gather(axis, index);
        TestTensors.assertClose(gathered, expected, 0, 0);

        Tensor base = TestTensors.random(dtype, dims, seed + 1);
        Tensor src = TestTensors.random(dtype, indexDims, seed + 2);
        NaiveTensor scattered = NaiveTensor.of(base);
        NaiveTensor scale = NaiveTensor.map(scattered, Math::abs);
        NaiveTensor ns = NaiveTensor.of(src);
        for (int i = 0; i < ns.size(); i++) {
            int[] idx = ns.index(i);
            idx[a] = (int) ni.data[i];
            scattered.data[scattered.flat(idx)] += ns.data[i];
            scale.data[scale.flat(idx)] += Math.abs(ns.data[i]);
        }
        Tensor out = base.scatterAdd(axis, index, src);
        TestTensors.assertCloseScaled(out, scattered, scale, (index.size() + 2) * TestTensors.eps(dtype));
        Tensor adjoint = Tensor.zeros(dtype, dims).scatterAdd(axis, index, src);
        TestTensors.assertAdjoint(gathered.dot(src), x.dot(adjoint), TestTensors.absDot(gathered, src), src.size(), dtype);
    }

    @Property(tries = 300)
    void indexSelectPicksSlicesInOrderAndIndexAddIsItsAdjoint(@ForAll("inputs") int[] dims, @ForAll int axisSeed,
            @ForAll @IntRange(max = 6) int count, @ForAll long seed, @ForAll("floating") DType dtype) {
        int rank = dims.length;
        int axis = Math.floorMod(axisSeed, 2 * rank) - rank;
        int a = Math.floorMod(axis, rank);
        int n = dims[a] == 0 ? 0 : count;
        Tensor indices = indexTensor(new int[] {n}, dims[a], seed);
        Tensor x = TestTensors.random(dtype, dims, seed);
        NaiveTensor nx = NaiveTensor.of(x);
        NaiveTensor ni = NaiveTensor.of(indices);
        int[] outDims = dims.clone();
        outDims[a] = n;
        NaiveTensor expected = new NaiveTensor(outDims);
        for (int i = 0; i < expected.size(); i++) {
            int[] idx = expected.index(i);
            idx[a] = (int) ni.data[idx[a]];
            expected.data[i] = nx.get(idx);
        }
        Tensor selected = x.indexSelect(axis, indices);
        TestTensors.assertClose(selected, expected, 0, 0);

        Tensor base = TestTensors.random(dtype, dims, seed + 1);
        Tensor src = TestTensors.random(dtype, outDims, seed + 2);
        NaiveTensor added = NaiveTensor.of(base);
        NaiveTensor scale = NaiveTensor.map(added, Math::abs);
        NaiveTensor ns = NaiveTensor.of(src);
        for (int i = 0; i < ns.size(); i++) {
            int[] idx = ns.index(i);
            idx[a] = (int) ni.data[idx[a]];
            added.data[added.flat(idx)] += ns.data[i];
            scale.data[scale.flat(idx)] += Math.abs(ns.data[i]);
        }
        TestTensors.assertCloseScaled(base.indexAdd(axis, indices, src), added, scale, (n + 2) * TestTensors.eps(dtype));
        Tensor adjoint = Tensor.zeros(dtype, dims).indexAdd(axis, indices, src);
        TestTensors.assertAdjoint(selected.dot(src), x.dot(adjoint), TestTensors.absDot(selected, src), src.size(), dtype);
    }

    @Property(tries = 100)
    void gatherAndIndexSelectMoveIntegerTensorsExactly(@ForAll("inputs") int[] dims, @ForAll long seed) {
        Tensor x = TestTensors.indices(dims, 1 << 30, seed);
        int n = dims[0] == 0 ? 0 : 3;
        Tensor indices = TestTensors.indices(new int[] {n}, dims[0], seed + 1);
        TestTensors.assertIdentical(x.cast(DType.F64).indexSelect(0, indices).cast(DType.I64), x.indexSelect(0, indices));
        int[] indexDims = dims.clone();
        indexDims[0] = n;
        Tensor index = TestTensors.indices(indexDims, dims[0], seed + 2);
        TestTensors.assertIdentical(x.cast(DType.F64).gather(0, index).cast(DType.I64), x.gather(0, index));
    }

    @Property(tries = 200)
    void oneHotSetsOneColumnPerIndex(@ForAll("indexShapes") int[] dims, @ForAll @IntRange(min = 1, max = 5) int classes,
            @ForAll long seed, @ForAll("anyNumeric") DType dtype) {
        Tensor labels = indexTensor(dims, classes, seed);
        Tensor out = Tensor.oneHot(labels, classes, dtype);
        assertEquals(dtype, out.dtype());
        int[] outDims = java.util.Arrays.copyOf(dims, dims.length + 1);
        outDims[dims.length] = classes;
        NaiveTensor expected = new NaiveTensor(outDims);
        NaiveTensor nl = NaiveTensor.of(labels);
        for (int i = 0; i < expected.size(); i++) {
            expected.data[i] = nl.data[i / classes] == i % classes ? 1 : 0;
        }
        TestTensors.assertClose(out, expected, 0, 0);
    }

    @Example
    void badIndicesAreRejectedNamingTheOpAndTheIndex() {
        Tensor x = Tensor.zeros(DType.F32, 2, 3);
        Tensor high = Tensor.of(new long[] {0, 3}, 1, 2);
        Tensor negative = Tensor.of(new long[] {-1, 0}, 1, 2);
        assertIndexError("gather", "3", () -> x.gather(1, high));
        assertIndexError("gather", "-1", () -> x.gather(1, negative));
        assertIndexError("scatterAdd", "3", () -> x.scatterAdd(1, high, Tensor.zeros(DType.F32, 1, 2)));
        assertIndexError("indexSelect", "3", () -> x.indexSelect(1, Tensor.of(new long[] {3})));
        assertIndexError("indexAdd", "-1", () -> x.indexAdd(1, Tensor.of(new long[] {-1}), Tensor.zeros(DType.F32, 2, 1)));
        assertIndexError("oneHot", "3", () -> Tensor.oneHot(Tensor.of(new long[] {3}), 3, DType.F32));

        LayoutProperties.assertNamesOp("gather", () -> x.gather(1, Tensor.of(new float[] {0, 1}, 1, 2)));
        LayoutProperties.assertNamesOp("gather", () -> x.gather(1, Tensor.of(new long[] {0, 1})));
        LayoutProperties.assertNamesOp("gather", () -> x.gather(1, Tensor.of(new long[] {0, 1, 0, 1, 0, 1}, 3, 2)));
        LayoutProperties.assertNamesOp("gather", () -> x.gather(2, high));
        LayoutProperties.assertNamesOp("scatterAdd", () -> x.scatterAdd(1, high, Tensor.zeros(DType.F32, 2, 2)));
        LayoutProperties.assertNamesOp("scatterAdd", () -> x.scatterAdd(1, Tensor.of(new long[] {0, 1}, 1, 2),
                Tensor.zeros(DType.F64, 1, 2)));
        LayoutProperties.assertNamesOp("indexSelect", () -> x.indexSelect(0, Tensor.of(new long[] {0, 1}, 1, 2)));
        LayoutProperties.assertNamesOp("indexSelect", () -> x.indexSelect(0, Tensor.of(new double[] {0})));
        LayoutProperties.assertNamesOp("indexAdd", () -> x.indexAdd(1, Tensor.of(new long[] {0}), Tensor.zeros(DType.F32, 2, 2)));
        LayoutProperties.assertNamesOp("oneHot", () -> Tensor.oneHot(Tensor.of(new long[] {0}), 0, DType.F32));
        LayoutProperties.assertNamesOp("oneHot", () -> Tensor.oneHot(Tensor.of(new double[] {0}), 2, DType.F32));
    }

    private static void assertIndexError(String op, String value, Supplier<?> call) {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, call::get);
        assertTrue(e.getMessage().startsWith(op + ":") && e.getMessage().contains(value), e.getMessage());
    }

    @Provide
    Arbitrary<int[]> inputs() {
        return ShapeArbitraries.shape(1, 4);
    }

    @Provide
    Arbitrary<int[]> indexShapes() {
        return ShapeArbitraries.shape(0, 3);
    }

    @Provide
    Arbitrary<DType> floating() {
        return ShapeArbitraries.floating();
    }

    @Provide
    Arbitrary<DType> anyNumeric() {
        return net.jqwik.api.Arbitraries.of(DType.F32, DType.F64, DType.I64);
    }
}
