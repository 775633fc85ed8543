package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Ops that move elements: each output element is the input element the index arithmetic says. */
class LayoutProperties {

    private static final DType[] ALL_TYPES = {DType.F32, DType.F64, DType.I64, DType.I32, DType.U8};

    /** Any dtype: layout ops never do arithmetic, so integer tensors must work too. */
    static Tensor anyTensor(int[] dims, long seed) {
        DType dtype = ALL_TYPES[Math.floorMod(seed, ALL_TYPES.length)];
        return dtype.isFloating() ? TestTensors.withSpecials(dtype, dims, seed) : TestTensors.indices(dims, 100, seed).cast(dtype);
    }

    @Property(tries = 300)
    void reshapeKeepsTheRowMajorOrderAndInfersMinusOne(@ForAll("shapes") int[] dims, @ForAll long seed) {
        Tensor x = anyTensor(dims, seed);
        Random r = new Random(seed);
        int[] target = regroup(dims, r);
        boolean infer = target.length > 0 && r.nextBoolean() && NaiveTensor.sizeOf(withoutOne(target, 0)) != 0;
        int[] request = target.clone();
        if (infer) {
            request[0] = -1;
        }
        Tensor y = x.reshape(request);
        assertArrayEquals(target, y.shape().dims());
        assertEquals(x.dtype(), y.dtype());
        assertArrayEquals(NaiveTensor.of(x).data, NaiveTensor.of(y).data);
        assertArrayEquals(NaiveTensor.of(x).data, NaiveTensor.of(x.flatten()).data);
        assertArrayEquals(new int[] {x.size()}, x.flatten().shape().dims());
        assertArrayEquals(target, x.reshape(Shape.of(target)).shape().dims());
    }

    /** The same elements grouped into other dimensions: shuffled, some merged, some 1s inserted. */
    private static int[] regroup(int[] dims, Random r) {
        List<Integer> d = new ArrayList<>();
        for (int v : dims) {
            d.add(v);
        }
        Collections.shuffle(d, r);
        for (int i = d.size() - 1; i > 0; i--) {
            if (r.nextInt(3) == 0) {
                d.set(i - 1, d.get(i - 1) * d.remove(i));
            }
        }
        if (r.nextInt(3) == 0) {
            d.add(r.nextInt(d.size() + 1), 1);
        }
        return d.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] withoutOne(int[] dims, int at) {
        int[] out = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != at) {
                out[j++] = dims[i];
            }
        }
        return out;
    }

    @Example
    void reshapeRejectsImpossibleTargetsWithAMessageNamingBothShapes() {
        Tensor x = Tensor.zeros(DType.F32, 2, 3);
        int[][] bad = {{5}, {-1, -1}, {-2, 3}, {4, -1}, {0, -1}, {7, 1}};
        for (int[] target : bad) {
            ShapeException e = assertThrows(ShapeException.class, () -> x.reshape(target));
            assertTrue(e.getMessage().startsWith("reshape:") && e.getMessage().contains("[2, 3]")
                    && e.getMessage().contains(Arrays.toString(target)), e.getMessage());
        }
    }

    @Example
    void reshapeSqueezeAndUnsqueezeShareStorageAsDocumented() {
        Tensor x = Tensor.zeros(DType.F64, 2, 3);
        assertSame(x.storage(), x.reshape(3, 2).storage());
        assertSame(x.storage(), x.unsqueeze(0).storage());
        assertSame(x.storage(), x.unsqueeze(0).squeeze(0).storage());
    }

    @Property(tries = 300)
    void permuteMovesEachElementToThePermutedIndex(@ForAll("shapes") int[] dims, @ForAll long seed) {
        Tensor x = anyTensor(dims, seed);
        Random r = new Random(seed);
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            p.add(r.nextBoolean() ? i : i - dims.length);
        }
        Collections.shuffle(p, r);
        int[] perm = p.stream().mapToInt(Integer::intValue).toArray();
        int[] axes = Arrays.stream(perm).map(a -> Math.floorMod(a, dims.length)).toArray();
        NaiveTensor nx = NaiveTensor.of(x);
        int[] outDims = Arrays.stream(axes).map(a -> dims[a]).toArray();
        NaiveTensor expected = new NaiveTensor(outDims);
        for (int i = 0; i < expected.size(); i++) {
            int[] idx = expected.index(i);
            int[] src = new int[dims.length];
            for (int k = 0; k < axes.length; k++) {
                src[axes[k]] = idx[k];
            }
            expected.data[i] = nx.get(src);
        }
        Tensor y = x.permute(perm);
        assertEquals(x.dtype(), y.dtype());
        TestTensors.assertClose(y, expected, 0, 0);
    }

    @Property(tries = 200)
    void transposeSwapsTwoAxes(@ForAll("nonScalarShapes") int[] dims, @ForAll int a0, @ForAll int a1, @ForAll long seed) {
        int rank = dims.length;
        int i = Math.floorMod(a0, 2 * rank) - rank;
        int j = Math.floorMod(a1, 2 * rank) - rank;
        Tensor x = anyTensor(dims, seed);
        int[] perm = new int[rank];
        Arrays.setAll(perm, k -> k);
        perm[Math.floorMod(i, rank)] = Math.floorMod(j, rank);
        perm[Math.floorMod(j, rank)] = Math.floorMod(i, rank);
        TestTensors.assertIdentical(x.permute(perm), x.transpose(i, j));
        if (rank == 2) {
            TestTensors.assertIdentical(x.transpose(0, 1), x.t());
        }
    }

    @Example
    void permuteAndTransposeRejectBadAxesNamingTheOp() {
        Tensor x = Tensor.zeros(DType.F32, 2, 3, 4);
        for (int[] perm : new int[][] {{0, 1}, {0, 1, 1}, {0, 1, 3}, {0, 1, -4}}) {
            ShapeException e = assertThrows(ShapeException.class, () -> x.permute(perm));
            assertTrue(e.getMessage().startsWith("permute:") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        }
        assertNamesOp("transpose", () -> x.transpose(0, 3));
        assertNamesOp("t", () -> x.t());
    }

    @Property(tries = 300)
    void sliceKeepsTheElementsInTheRange(@ForAll("nonScalarShapes") int[] dims, @ForAll int axisSeed,
            @ForAll long seed) {
        int rank = dims.length;
        int axis = Math.floorMod(axisSeed, 2 * rank) - rank;
        int a = Math.floorMod(axis, rank);
        Random r = new Random(seed);
        int start = r.nextInt(dims[a] + 1);
        int end = start + r.nextInt(dims[a] - start + 1);
        Tensor x = anyTensor(dims, seed);
        NaiveTensor nx = NaiveTensor.of(x);
        int[] outDims = dims.clone();
        outDims[a] = end - start;
        NaiveTensor expected = new NaiveTensor(outDims);
        for (int i = 0; i < expected.size(); i++) {
            int[] idx = expected.index(i);
            idx[a] += start;
            expected.data[i] = nx.get(idx);
        }
        TestTensors.assertClose(x.slice(axis, start, end), expected, 0, 0);
    }

    @Example
    void sliceRejectsRangesOutsideTheAxis() {
        Tensor x = Tensor.zeros(DType.F32, 2, 3);
        for (int[] range : new int[][] {{-1, 2}, {0, 4}, {2, 1}}) {
            assertNamesOp("slice", () -> x.slice(1, range[0], range[1]));
        }
        assertNamesOp("slice", () -> x.slice(2, 0, 1));
    }

    @Property(tries = 300)
    void padSurroundsWithZerosAndIsTheAdjointOfSlice(@ForAll("nonScalarShapes") int[] dims, @ForAll int axisSeed,
            @ForAll @IntRange(max = 3) int before, @ForAll @IntRange(max = 3) int after,
            @ForAll("floating") DType dtype, @ForAll long seed) {
        int rank = dims.length;
        int axis = Math.floorMod(axisSeed, 2 * rank) - rank;
        int a = Math.floorMod(axis, rank);
        Tensor y = TestTensors.random(dtype, dims, seed);
        NaiveTensor ny = NaiveTensor.of(y);
        int[] paddedDims = dims.clone();
        paddedDims[a] += before + after;
        NaiveTensor expected = new NaiveTensor(paddedDims);
        for (int i = 0; i < expected.size(); i++) {
            int[] idx = expected.index(i);
            idx[a] -= before;
            expected.data[i] = idx[a] >= 0 && idx[a] < dims[a] ? ny.get(idx) : 0;
        }
        Tensor padded = y.pad(axis, before, after);
        TestTensors.assertClose(padded, expected, 0, 0);
        Tensor x = TestTensors.random(dtype, paddedDims, seed + 1);
        TestTensors.assertAdjoint(x.slice(axis, before, before + dims[a]).dot(y), x.dot(padded),
                TestTensors.absDot(x, padded), x.size(), dtype);
    }

    @Example
    void padRejectsNegativeAmounts() {
        assertNamesOp("pad", () -> Tensor.zeros(DType.F32, 2).pad(0, -1, 0));
        assertNamesOp("pad", () -> Tensor.zeros(DType.F32, 2).pad(1, 1, 0));
    }

    @Property(tries = 300)
    void concatAndStackLayPartsSideBySide(@ForAll("nonScalarShapes") int[] dims, @ForAll int axisSeed,
            @ForAll @IntRange(min = 1, max = 4) int count, @ForAll long seed) {
        int rank = dims.length;
        int axis = Math.floorMod(axisSeed, 2 * rank) - rank;
        int a = Math.floorMod(axis, rank);
        Random r = new Random(seed);
        DType dtype = anyTensor(new int[0], seed).dtype();
        Tensor[] parts = new Tensor[count];
        int[] offsets = new int[count + 1];
        for (int p = 0; p < count; p++) {
            int[] d = dims.clone();
            d[a] = r.nextInt(4);
            parts[p] = anyTensor(d, seed + p).cast(dtype);
            offsets[p + 1] = offsets[p] + d[a];
        }
        int[] outDims = dims.clone();
        outDims[a] = offsets[count];
        NaiveTensor expected = new NaiveTensor(outDims);
        for (int i = 0; i < expected.size(); i++) {
            int[] idx = expected.index(i);
            int p = 0;
            while (idx[a] >= offsets[p + 1]) {
                p++;
            }
            idx[a] -= offsets[p];
            expected.data[i] = NaiveTensor.of(parts[p]).get(idx);
        }
        Tensor joined = Tensor.concat(axis, parts);
        assertEquals(dtype, joined.dtype());
        TestTensors.assertClose(joined, expected, 0, 0);

        Tensor[] same = new Tensor[count];
        for (int p = 0; p < count; p++) {
            same[p] = anyTensor(dims, seed + p).cast(dtype);
        }
        int stackAxis = Math.floorMod(axisSeed, 2 * (rank + 1)) - (rank + 1);
        int s = Math.floorMod(stackAxis, rank + 1);
        int[] stackedDims = new int[rank + 1];
        for (int k = 0, j = 0; k <= rank; k++) {
            stackedDims[k] = k == s ? count : dims[j++];
        }
        NaiveTensor stacked = new NaiveTensor(stackedDims);
        for (int i = 0; i < stacked.size(); i++) {
            int[] idx = stacked.index(i);
            int[] src = new int[rank];
            for (int k = 0, j = 0; k <= rank; k++) {
                if (k != s) {
                    src[j++] = idx[k];
                }
            }
            stacked.data[i] = NaiveTensor.of(same[idx[s]]).get(src);
        }
        TestTensors.assertClose(Tensor.stack(stackAxis, same), stacked, 0, 0);
    }

    @Example
    void concatAndStackRejectMismatchedParts() {
        Tensor a = Tensor.zeros(DType.F32, 2, 3);
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.concat(0, a, Tensor.zeros(DType.F32, 2, 4)));
        assertTrue(e.getMessage().startsWith("concat:") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[2, 4]"), e.getMessage());
        assertNamesOp("concat", () -> Tensor.concat(0, a, Tensor.zeros(DType.F32, 3)));
        assertNamesOp("concat", () -> Tensor.concat(0, a, Tensor.zeros(DType.F64, 2, 3)));
        assertNamesOp("concat", () -> Tensor.concat(2, a));
        assertNamesOp("concat", () -> Tensor.concat(0));
        assertNamesOp("stack", () -> Tensor.stack(0, a, Tensor.zeros(DType.F32, 3, 2)));
        assertNamesOp("stack", () -> Tensor.stack(0, a, Tensor.zeros(DType.F32, 3)));
        assertNamesOp("stack", () -> Tensor.stack(3, a));
        assertNamesOp("stack", () -> Tensor.stack(0));
    }

    @Property(tries = 300)
    void expandRepeatsSize1AndMissingDimensions(@ForAll("pairs") int[][] shapes, @ForAll long seed) {
        int[] target = NaiveTensor.broadcastDims(shapes[0], shapes[1]);
        Tensor x = anyTensor(shapes[0], seed);
        NaiveTensor nx = NaiveTensor.of(x);
        NaiveTensor expected = new NaiveTensor(target);
        for (int i = 0; i < expected.size(); i++) {
            expected.data[i] = nx.broadcastGet(expected.index(i));
        }
        Tensor y = x.expand(Shape.of(target));
        assertEquals(x.dtype(), y.dtype());
        TestTensors.assertClose(y, expected, 0, 0);
    }

    @Property(tries = 100)
    void expandRejectsATargetTheSourceDoesNotBroadcastTo(@ForAll("incompatible") int[][] shapes) {
        Tensor x = Tensor.zeros(DType.F32, shapes[0]);
        ShapeException e = assertThrows(ShapeException.class, () -> x.expand(Shape.of(shapes[1])));
        BinaryOpProperties.assertMessageNames(e, "expand", shapes[0], shapes[1]);
    }

    @Property(tries = 200)
    void unsqueezeInsertsASize1AxisThatSqueezeRemoves(@ForAll("shapes") int[] dims, @ForAll int axisSeed, @ForAll long seed) {
        int rank = dims.length;
        int axis = Math.floorMod(axisSeed, 2 * (rank + 1)) - (rank + 1);
        int a = Math.floorMod(axis, rank + 1);
        Tensor x = anyTensor(dims, seed);
        Tensor u = x.unsqueeze(axis);
        int[] expected = new int[rank + 1];
        for (int k = 0, j = 0; k <= rank; k++) {
            expected[k] = k == a ? 1 : dims[j++];
        }
        assertArrayEquals(expected, u.shape().dims());
        assertArrayEquals(NaiveTensor.of(x).data, NaiveTensor.of(u).data);
        TestTensors.assertIdentical(x, u.squeeze(axis));
    }

    @Example
    void squeezeAndUnsqueezeRejectBadAxes() {
        Tensor x = Tensor.zeros(DType.F32, 2, 1);
        assertNamesOp("squeeze", () -> x.squeeze(0));
        assertNamesOp("squeeze", () -> x.squeeze(2));
        assertNamesOp("unsqueeze", () -> x.unsqueeze(3));
        assertNamesOp("unsqueeze", () -> x.unsqueeze(-4));
    }

    static void assertNamesOp(String op, Supplier<?> call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
        assertTrue(e.getMessage().startsWith(op + ":"), () -> "expected an error naming " + op + ": " + e.getMessage());
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return ShapeArbitraries.shape(0, 4);
    }

    @Provide
    Arbitrary<int[]> nonScalarShapes() {
        return ShapeArbitraries.shape(1, 4);
    }

    @Provide
    Arbitrary<int[][]> pairs() {
        return ShapeArbitraries.broadcastable(2);
    }

    @Provide
    Arbitrary<int[][]> incompatible() {
        return ShapeArbitraries.incompatiblePair();
    }

    @Provide
    Arbitrary<DType> floating() {
        return ShapeArbitraries.floating();
    }
}
