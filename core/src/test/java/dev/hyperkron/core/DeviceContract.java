package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.device.SimulatedDevice;
import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.core.kernels.UnaryOp;
import dev.hyperkron.core.linalg.Linalg;
import dev.hyperkron.core.linalg.SymmetricEigen;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The contract of a {@link Device} other than the host, through every tensor op: its result stays
 * on that device, nothing is copied to the host on the way (where the device counts copies), and
 * its elements match the host's ({@link #assertMatches}: to the bit unless a device overrides it).
 * {@link DeviceResidencyProperties} runs it on a {@link SimulatedDevice}; the gpu module on CUDA.
 */
public abstract class DeviceContract {

    /** The device under test. */
    protected abstract Device device();

    /** Copies from the device to the host so far, where the device counts them. */
    protected OptionalLong downloads() {
        return OptionalLong.empty();
    }

    /** Fails unless {@code actual} (copied to the host) matches the host's result of {@code op}. */
    protected void assertMatches(String op, Tensor expected, Tensor actual) {
        TestTensors.assertIdentical(expected, actual);
    }

    /** An op applied to inputs that are all on one device. */
    record Scenario(String name, List<Tensor> inputs, Function<List<Tensor>, Tensor> op) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name);
            inputs.forEach(t -> sb.append(' ').append(t.dtype()).append(t.shape()));
            return sb.toString();
        }
    }

    @Property(tries = 600)
    void opsOnTheDeviceStayThereAndMatchTheHost(@ForAll("scenarios") Scenario s) {
        Device device = device();
        Tensor expected = s.op().apply(s.inputs());
        List<Tensor> moved = s.inputs().stream().map(t -> t.dtype().isFloating() ? t.to(device) : t).toList();
        OptionalLong before = downloads();
        Tensor actual = s.op().apply(moved);
        if (expected.dtype().isFloating() && before.isPresent()) {
            assertEquals(before.getAsLong(), downloads().getAsLong(), "elements were copied to the host during " + s.name());
        }
        // Integer results (argmax's indices) live on the host.
        assertSame(expected.dtype().isFloating() ? device : Device.host(), actual.device(), s.name() + "'s result");
        assertMatches(s.toString(), expected, actual.to(Device.host()));
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.oneOf(List.of(unary(), binary(), where(), reductions(), products(), layout(),
                indexing(), patches(), inPlace()));
    }

    private static Arbitrary<Scenario> unary() {
        return Combinators.combine(ShapeArbitraries.shape(0, 4), ShapeArbitraries.floating(),
                Arbitraries.of(UnaryOp.class), Arbitraries.longs()).as((dims, dtype, op, seed) ->
                new Scenario("map(" + op + ")", List.of(TestTensors.withSpecials(dtype, dims, seed)),
                        in -> in.get(0).map(op)));
    }

    private static Arbitrary<Scenario> binary() {
        return Combinators.combine(ShapeArbitraries.broadcastable(2), ShapeArbitraries.floating(),
                Arbitraries.of(BinaryOp.class), Arbitraries.longs(), Arbitraries.of(true, false))
                .as((shapes, dtype, op, seed, scalar) -> scalar
                        ? new Scenario(op + " with a host scalar", List.of(TestTensors.withSpecials(dtype, shapes[0], seed)),
                                in -> in.get(0).zip(op, Tensor.scalar(dtype, 0.75)))
                        : new Scenario(op.toString(), List.of(TestTensors.withSpecials(dtype, shapes[0], seed),
                                TestTensors.withSpecials(dtype, shapes[1], seed + 1)), in -> in.get(0).zip(op, in.get(1))));
    }

    private static Arbitrary<Scenario> where() {
        return Combinators.combine(ShapeArbitraries.broadcastable(3), ShapeArbitraries.floating(), Arbitraries.longs())
                .as((shapes, dtype, seed) -> new Scenario("where", List.of(
                        TestTensors.random(dtype, shapes[0], seed).gt(0), TestTensors.random(dtype, shapes[1], seed + 1),
                        TestTensors.random(dtype, shapes[2], seed + 2)), in -> Tensor.where(in.get(0), in.get(1), in.get(2))));
    }

    private static Arbitrary<Scenario> reductions() {
        Arbitrary<String> names = Arbitraries.of("sum", "mean", "max", "min", "logsumexp", "variance", "softmax",
                "logSoftmax", "argmax", "sumTo");
        return Combinators.combine(ShapeArbitraries.nonEmptyShape(1, 4), ShapeArbitraries.floating(), names,
                Arbitraries.longs()).as((dims, dtype, name, seed) -> {
                    int axis = new SplittableRandom(seed).nextInt(dims.length);
                    int[] target = dims.clone();
                    target[axis] = 1;
                    Function<List<Tensor>, Tensor> op = switch (name) {
                        case "sum" -> in -> in.get(0).sum(new int[] {axis}, true);
                        case "mean" -> in -> in.get(0).mean(axis, false);
                        case "max" -> in -> in.get(0).max(axis, false);
                        case "min" -> in -> in.get(0).min();
                        case "logsumexp" -> in -> in.get(0).logsumexp(axis, true);
                        case "variance" -> in -> in.get(0).variance(new int[] {axis}, false);
                        case "softmax" -> in -> in.get(0).softmax(axis);
                        case "logSoftmax" -> in -> in.get(0).logSoftmax(axis);
                        case "argmax" -> in -> in.get(0).argmax(axis);
                        default -> in -> in.get(0).sumTo(Shape.of(target));
                    };
                    return new Scenario(name + " over axis " + axis, List.of(TestTensors.random(dtype, dims, seed)), op);
                });
    }

    private static Arbitrary<Scenario> products() {
        Arbitrary<Integer> d = Arbitraries.integers().between(1, 9);
        return Combinators.combine(d, d, d, Arbitraries.integers().between(1, 3), ShapeArbitraries.floating(),
                Arbitraries.longs(), Arbitraries.integers().between(0, 6)).as((m, k, n, batch, dtype, seed, kind) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    return switch (kind) {
                        case 0 -> new Scenario("matmul", List.of(TestTensors.random(dtype, new int[] {batch, m, k}, r.nextLong()),
                                TestTensors.random(dtype, new int[] {k, n}, r.nextLong())), in -> in.get(0).matmul(in.get(1)));
                        case 1 -> new Scenario("batched matmul, transposed", List.of(
                                TestTensors.random(dtype, new int[] {batch, k, m}, r.nextLong()),
                                TestTensors.random(dtype, new int[] {1, n, k}, r.nextLong())),
                                in -> in.get(0).matmul(in.get(1), true, true));
                        case 2 -> new Scenario("linear with bias and relu", List.of(
                                TestTensors.random(dtype, new int[] {batch, m, k}, r.nextLong()),
                                TestTensors.random(dtype, new int[] {n, k}, r.nextLong()),
                                TestTensors.random(dtype, new int[] {n}, r.nextLong())),
                                in -> in.get(0).linear(in.get(1), in.get(2), UnaryOp.RELU));
                        case 3 -> new Scenario("linear without bias, tanh", List.of(
                                TestTensors.random(dtype, new int[] {m, k}, r.nextLong()),
                                TestTensors.random(dtype, new int[] {n, k}, r.nextLong())),
                                in -> in.get(0).linear(in.get(1), null, UnaryOp.TANH));
                        case 4 -> new Scenario("batched matmul, both operands batched (attention's)", List.of(
                                TestTensors.random(dtype, new int[] {2, batch, m, k}, r.nextLong()),
                                TestTensors.random(dtype, new int[] {2, batch, n, k}, r.nextLong())),
                                in -> in.get(0).matmul(in.get(1), false, true));
                        case 5 -> new Scenario("batched matmul, batch axes broadcast across each other", List.of(
                                TestTensors.random(dtype, new int[] {2, 1, m, k}, r.nextLong()),
                                TestTensors.random(dtype, new int[] {1, batch, k, n}, r.nextLong())),
                                in -> in.get(0).matmul(in.get(1)));
                        default -> new Scenario("vdot", List.of(TestTensors.random(dtype, new int[] {m, k}, r.nextLong()),
                                TestTensors.random(dtype, new int[] {m, k}, r.nextLong())), in -> in.get(0).vdot(in.get(1)));
                    };
                });
    }

    private static Arbitrary<Scenario> layout() {
        Arbitrary<String> names = Arbitraries.of("permute", "transpose", "slice", "pad", "concat", "stack", "expand",
                "reshape", "copy", "cast");
        return Combinators.combine(ShapeArbitraries.shape(1, 4), ShapeArbitraries.floating(), names, Arbitraries.longs())
                .as((dims, dtype, name, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int rank = dims.length;
                    int axis = r.nextInt(rank);
                    Tensor x = TestTensors.random(dtype, dims, r.nextLong());
                    Tensor y = TestTensors.random(dtype, dims, r.nextLong());
                    int[] perm = shuffled(rank, r);
                    int start = dims[axis] == 0 ? 0 : r.nextInt(dims[axis]);
                    int end = start + (dims[axis] == start ? 0 : r.nextInt(dims[axis] - start + 1));
                    int[] expanded = new int[rank + 1];
                    expanded[0] = 2;
                    System.arraycopy(dims, 0, expanded, 1, rank);
                    Function<List<Tensor>, Tensor> op = switch (name) {
                        case "permute" -> in -> in.get(0).permute(perm);
                        case "transpose" -> in -> in.get(0).transpose(axis, rank - 1);
                        case "slice" -> in -> in.get(0).slice(axis, start, end);
                        case "pad" -> in -> in.get(0).pad(axis, start, 2);
                        case "concat" -> in -> Tensor.concat(axis, in.get(0), in.get(1), in.get(0));
                        case "stack" -> in -> Tensor.stack(axis, in.get(0), in.get(1));
                        case "expand" -> in -> in.get(0).expand(Shape.of(expanded));
                        case "reshape" -> in -> in.get(0).reshape(-1).add(in.get(1).flatten());
                        case "copy" -> in -> in.get(0).copy();
                        default -> in -> in.get(0).cast(in.get(0).dtype() == DType.F32 ? DType.F64 : DType.F32);
                    };
                    return new Scenario(name + " " + Arrays.toString(perm) + " axis " + axis, List.of(x, y), op);
                });
    }

    private static int[] shuffled(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static Arbitrary<Scenario> indexing() {
        Arbitrary<String> names = Arbitraries.of("gather", "scatterAdd", "indexSelect", "indexAdd");
        return Combinators.combine(ShapeArbitraries.nonEmptyShape(1, 3), ShapeArbitraries.floating(), names,
                Arbitraries.longs()).as((dims, dtype, name, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int axis = r.nextInt(dims.length);
                    Tensor x = TestTensors.random(dtype, dims, r.nextLong());
                    Tensor index = TestTensors.indices(dims, dims[axis], r.nextLong());
                    Tensor picks = TestTensors.indices(new int[] {1 + r.nextInt(5)}, dims[axis], r.nextLong());
                    int[] selected = dims.clone();
                    selected[axis] = picks.size();
                    Tensor src = TestTensors.random(dtype, name.equals("indexAdd") ? selected : dims, r.nextLong());
                    Function<List<Tensor>, Tensor> op = switch (name) {
                        case "gather" -> in -> in.get(0).gather(axis, in.get(2));
                        case "scatterAdd" -> in -> in.get(0).scatterAdd(axis, in.get(2), in.get(1));
                        case "indexSelect" -> in -> in.get(0).indexSelect(axis, in.get(3));
                        default -> in -> in.get(0).indexAdd(axis, in.get(3), in.get(1));
                    };
                    return new Scenario(name + " along " + axis, List.of(x, src, index, picks), op);
                });
    }

    private static Arbitrary<Scenario> patches() {
        Arbitrary<String> names = Arbitraries.of("unfold", "fold", "maxPool2d", "avgPool2d");
        return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(4, 7),
                ShapeArbitraries.floating(), names, Arbitraries.longs()).as((c, hw, dtype, name, seed) -> {
                    ConvGeometry g = ConvGeometry.square(2, 1, 1, 1);
                    int l = g.outHeight(hw) * g.outWidth(hw);
                    Tensor images = TestTensors.random(dtype, new int[] {2, c, hw, hw}, seed);
                    Tensor cols = TestTensors.random(dtype, new int[] {2, c * g.taps(), l}, seed + 1);
                    Function<List<Tensor>, Tensor> op = switch (name) {
                        case "unfold" -> in -> in.get(0).unfold(g);
                        case "fold" -> in -> in.get(1).fold(hw, hw, g);
                        case "maxPool2d" -> in -> in.get(0).maxPool2d(ConvGeometry.square(2, 2, 0, 1));
                        default -> in -> in.get(0).avgPool2d(ConvGeometry.square(2, 2, 0, 1));
                    };
                    return new Scenario(name, List.of(images, cols), op);
                });
    }

    private static Arbitrary<Scenario> inPlace() {
        Arbitrary<String> names = Arbitraries.of("axpyInPlace", "scaleInPlace", "fillInPlace", "copyFromInPlace", "full");
        return Combinators.combine(ShapeArbitraries.shape(0, 3), ShapeArbitraries.floating(), names, Arbitraries.longs())
                .as((dims, dtype, name, seed) -> {
                    Tensor x = TestTensors.random(dtype, dims, seed);
                    Tensor y = TestTensors.random(dtype, dims, seed + 1);
                    Function<List<Tensor>, Tensor> op = switch (name) {
                        case "axpyInPlace" -> in -> in.get(0).copy().axpyInPlace(-0.5, in.get(1));
                        case "scaleInPlace" -> in -> in.get(0).copy().scaleInPlace(3);
                        case "fillInPlace" -> in -> in.get(0).copy().fillInPlace(-2.5);
                        case "copyFromInPlace" -> in -> in.get(0).copy().copyFromInPlace(in.get(1));
                        default -> in -> Tensor.full(in.get(0).device(), dtype, 7, in.get(0).shape());
                    };
                    return new Scenario(name, List.of(x, y), op);
                });
    }

    @Example
    void aDeviceSolverInvertsPositiveDefiniteMatricesWhereTheyAreAndDeclinesTheRest() {
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            Tensor x = TestTensors.random(dtype, new int[] {9, 6}, 3);
            Tensor spd = x.matmul(x, true, false).add(Tensor.eye(dtype, 6));
            Optional<Tensor> inverse = Linalg.spdInverseOnDevice(spd.to(device()));
            inverse.ifPresent(inv -> {
                assertSame(device(), inv.device());
                assertMatches("spdInverse " + dtype, Linalg.spdInverse(spd), inv.to(Device.host()));
            });
            Tensor indefinite = Tensor.of(dtype, new double[][] {{1, 2}, {2, 1}});
            assertTrue(Linalg.spdInverseOnDevice(indefinite.to(device())).isEmpty(), "an indefinite matrix is declined");
        }
        assertTrue(Linalg.spdInverseOnDevice(Tensor.eye(DType.F64, 3)).isEmpty(), "the host has no device solver");
    }

    @Example
    void aDeviceEigensolverReconstructsItsMatrix() {
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            Tensor x = TestTensors.random(dtype, new int[] {4, 7}, 5);
            Tensor symmetric = x.matmul(x, true, false).sub(Tensor.eye(dtype, 7));
            Linalg.eighOnDevice(symmetric.to(device())).ifPresent(eig -> {
                assertSame(device(), eig.vectors().device());
                assertSame(Device.host(), eig.values().device());
                Tensor v = eig.vectors().to(Device.host());
                Tensor reconstructed = v.mul(eig.values().cast(dtype).reshape(1, 7)).matmul(v, false, true);
                SymmetricEigen host = Linalg.eigh(symmetric);
                Tensor expected = host.eigenvectors().mul(host.eigenvalues().reshape(1, 7))
                        .matmul(host.eigenvectors(), false, true);
                assertMatches("eigh " + dtype + " (V diag(w) V^T)", expected, reconstructed);
            });
        }
    }

    @Example
    void aDeviceTensorIsWrittenToSafetensorsAsItsHostCopy() throws java.io.IOException {
        Tensor x = TestTensors.withSpecials(DType.F32, new int[] {3, 5}, 11);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("device", ".safetensors");
        try {
            dev.hyperkron.core.io.Safetensors.write(file, java.util.Map.of("x", x.to(device())));
            TestTensors.assertIdentical(x, dev.hyperkron.core.io.Safetensors.read(file).tensor("x"));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Example
    void theArrayOfADeviceTensorIsNotReachableAndSaysWhereItIs() {
        Tensor t = Tensor.of(new float[] {1, 2, 3}).to(device());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.storage().array());
        assertTrue(e.getMessage().contains(device().name()) && e.getMessage().contains("Tensor.to(Device.host())"), e.getMessage());
        assertEquals(2.0, t.get(1));
        assertEquals("Tensor(F32, [3], " + device().name() + ", [1.0, 2.0, 3.0])", t.toString());
    }

    @Example
    void operandsOnDifferentDevicesAreRejectedByName() {
        Tensor onDevice = Tensor.of(new double[] {1, 2}).to(device());
        Tensor onHost = Tensor.of(new double[] {3, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> onDevice.add(onHost));
        assertEquals("add: operands are on different devices (" + device().name()
                + " and cpu); move one with Tensor.to(device)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> onHost.matmul(onDevice.reshape(2, 1)));
        assertThrows(IllegalArgumentException.class, () -> onHost.copy().axpyInPlace(1, onDevice));
        Tensor onOtherDevice = Tensor.of(new double[] {1, 1}).to(new SimulatedDevice("sim:other"));
        assertThrows(IllegalArgumentException.class, () -> onDevice.mul(onOtherDevice));
    }

    @Example
    void integerTensorsStayOnTheHost() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new long[] {1, 2}).to(device()));
        assertEquals(device().name() + " does not hold I64 elements; keep I64 tensors on the host", e.getMessage());
        Tensor labels = Tensor.of(new double[] {0.2, 0.9, 0.4, 0.1}, 2, 2).to(device()).argmax(1);
        assertSame(Device.host(), labels.device());
        assertEquals(Tensor.of(new long[] {1, 0}), labels);
    }

    @Example
    void theIntegerReadersOfADeviceTensorCopyItToTheHost() {
        Tensor t = Tensor.of(new float[] {1.5f, -2.5f, 7f}).to(device());
        assertEquals(Arrays.toString(new long[] {1, -2, 7}), Arrays.toString(t.toLongArray()));
        assertEquals(Arrays.toString(new int[] {1, -2, 7}), Arrays.toString(t.toIntArray()));
        assertSame(device(), t.device());
    }

    @Example
    void movingToTheSameDeviceIsFreeAndRoundTripsAreExact() {
        Tensor x = TestTensors.withSpecials(DType.F64, new int[] {3, 4}, 7);
        assertSame(x, x.to(Device.host()));
        Tensor d = x.to(device());
        assertSame(d, d.to(device()));
        TestTensors.assertIdentical(x, d.to(Device.host()));
        assertMatches("add, mul with a host scalar", x.add(1.5).mul(x), d.add(1.5).mul(d).to(Device.host()));
    }
}
