package dev.hyperkron.bilevel.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.methods.InnerLoop;
import dev.hyperkron.bilevel.methods.OuterStep;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.bilevel.tasks.DataPoisoning;
import dev.hyperkron.bilevel.tasks.L2Tuning;
import dev.hyperkron.bilevel.train.BilevelTrainer;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.HistoryEntry;
import dev.hyperkron.bilevel.train.OptimizerSpec;
import dev.hyperkron.bilevel.train.TrainerConfig;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.nn.optim.AdamSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.device.SimulatedDevice;
import dev.hyperkron.kfac.KfacInverse;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.models.Models;
import dev.hyperkron.nn.optim.Sgd;
import dev.hyperkron.nn.optim.SgdSettings;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Outer steps of data hypercleaning on a device: built with {@code .device(d)}, the problem keeps
 * parameters, weights and features there, and an AID outer step (inner SGD steps, then the
 * hypergradient with KFAC under heuristic and exact damping, EKFAC, or CG) leaves theta and the
 * hypergradient on the device, equal to the host's to the bit; trainer runs of hypercleaning,
 * data poisoning and L2 tuning repeat the host's. The device is core's {@link SimulatedDevice}.
 */
class DeviceHypergradientTest {
    private static final int N = 24;

    private static Dataset randomSet(Rng rng, int n) {
        Tensor x = Tensor.randn(rng, DType.F64, n, 6);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
        }
        return Dataset.of(x, Tensor.of(y, n), 3);
    }

    private static DataHypercleaning problem(DType dtype, Device device) {
        Rng rng = new Rng(5);
        Dataset train = randomSet(rng, N);
        Tensor corrupted = Tensor.zeros(DType.U8, N);
        return DataHypercleaning.builder(Models.mlp(6, new int[] {7}, 3, Activation.relu()), train, corrupted,
                randomSet(rng, 10), randomSet(rng, 10)).dtype(dtype).device(device).weightDecay(0.1).trainBatch(16)
                .seed(1).build();
    }

    @Test
    void aidHypergradientsOnADeviceEqualTheHosts() {
        List<Supplier<ImplicitDifferentiation>> methods = List.of(
                () -> new ImplicitDifferentiation(IhvpMethods.kfac()),
                () -> new ImplicitDifferentiation(IhvpMethods.kfac().dampingStrategy(KfacInverse.Damping.EXACT)),
                () -> new ImplicitDifferentiation(IhvpMethods.ekfac()),
                () -> new ImplicitDifferentiation(IhvpMethods.cg().iterations(5)));
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            for (Supplier<ImplicitDifferentiation> method : methods) {
                SimulatedDevice device = new SimulatedDevice("sim:0");
                OuterStep host = outerStep(problem(dtype, Device.host()), method.get());
                DataHypercleaning onDevice = problem(dtype, device);
                long before = device.downloads();
                OuterStep there = outerStep(onDevice, method.get());
                String what = method.get().name() + " in " + dtype;
                // The losses read, the factors copied to the host for their factorizations, traces:
                // 4 to 20 copies here; one per element of anything would be hundreds.
                long copies = device.downloads() - before;
                assertTrue(copies <= 24, what + " copied to the host " + copies + " times in one outer step");
                if (method != methods.get(3)) { // KFAC's inverses and eigenbases, EKFAC's eigenbases
                    assertTrue(device.solves() > 0, what + ": dense factors are factored on a device that has a solver");
                }
                assertEquals(host.innerLoss(), there.innerLoss(), what);
                assertEquals(host.outerLoss(), there.outerLoss(), what);
                assertSameOnDevice(host.hypergradient(), there.hypergradient(), device, what);
                assertSameOnDevice(host.theta(), there.theta(), device, what);
            }
        }
    }

    /**
     * The trainer on a device: Adam outer steps, the [0, 1] projection, evaluation (argmax on the
     * host) and a checkpoint, which is written from the host and resumed onto the device, repeat
     * the host's run exactly.
     */
    @Test
    void aTrainerRunOnADeviceWithCheckpointAndResumeRepeatsTheHostsRun(@TempDir Path dir) {
        SimulatedDevice device = new SimulatedDevice("sim:0");
        TrainingResult host = new BilevelTrainer(problem(DType.F32, Device.host()), config(4).build()).run();
        Path checkpoints = dir.resolve("run");
        new BilevelTrainer(problem(DType.F32, device), config(2).checkpoint(checkpoints, 2).build()).run();
        TrainingResult resumed = new BilevelTrainer(problem(DType.F32, device),
                config(4).checkpoint(checkpoints, 2).resume(true).build()).run();
        assertEquals(TrainingResult.Status.COMPLETED, resumed.status());
        assertEquals(host.history().stream().map(HistoryEntry::withoutTimes).toList(),
                resumed.history().stream().map(HistoryEntry::withoutTimes).toList());
        assertSameOnDevice(host.theta(), resumed.theta(), device, "theta after resuming");
        assertSameOnDevice(host.lambda(), resumed.lambda(), device, "lambda after resuming");
    }

    /**
     * Data poisoning with learned labels on a device: the trainer's run, with the box and simplex
     * projections of the poison, repeats the host's, and the poison stays on the device.
     */
    @Test
    void aPoisoningRunOnADeviceRepeatsTheHosts() {
        assertRunRepeatsTheHosts(DeviceHypergradientTest::poisoning, "poisoning");
    }

    /** Per-feature L2 tuning on a device: the trainer's run repeats the host's, and the decays stay on the device. */
    @Test
    void anL2TuningRunOnADeviceRepeatsTheHosts() {
        assertRunRepeatsTheHosts(DeviceHypergradientTest::tuning, "L2 tuning");
    }

    /** Three outer steps of the problem on the host and on a simulated device: the same history, theta and lambda. */
    private static void assertRunRepeatsTheHosts(Function<Device, BilevelProblem> problem, String what) {
        SimulatedDevice device = new SimulatedDevice("sim:0");
        TrainingResult host = new BilevelTrainer(problem.apply(Device.host()), config(3).build()).run();
        TrainingResult there = new BilevelTrainer(problem.apply(device), config(3).build()).run();
        assertEquals(TrainingResult.Status.COMPLETED, there.status(), what);
        assertEquals(host.history().stream().map(HistoryEntry::withoutTimes).toList(),
                there.history().stream().map(HistoryEntry::withoutTimes).toList(), what);
        assertSameOnDevice(host.theta(), there.theta(), device, what + ": theta");
        assertSameOnDevice(host.lambda(), there.lambda(), device, what + ": lambda");
    }

    private static L2Tuning tuning(Device device) {
        Rng rng = new Rng(9);
        return new L2Tuning(Models.mlp(6, new int[] {7}, 3, Activation.relu()), randomSet(rng, N), randomSet(rng, 10),
                randomSet(rng, 10), L2Tuning.Granularity.PER_FEATURE, -2, 1e-3, 16, DType.F32, 3, device);
    }

    private static DataPoisoning poisoning(Device device) {
        Rng rng = new Rng(7);
        return DataPoisoning.builder(Models.mlp(6, new int[] {7}, 3, Activation.relu()), randomSet(rng, N),
                randomSet(rng, 10), randomSet(rng, 10)).poisonCount(4).epsilon(0.5).learnLabels(true).weightDecay(0.1)
                .trainBatch(16).device(device).seed(3).build();
    }

    private static TrainerConfig.Builder config(int steps) {
        return TrainerConfig.builder(new ImplicitDifferentiation(IhvpMethods.kfac().fisher(FisherType.MC))).innerSteps(3)
                .innerOptimizer(OptimizerSpec.sgd(0.1, 0.9))
                .outerOptimizer(OptimizerSpec.adam(AdamSettings.adam().learningRate(0.05).build()))
                .budget(Budget.steps(steps)).seed(4).evaluateEvery(2);
    }

    /** T = 3 inner SGD steps, then the hypergradient, from the problem's initial point. */
    private static OuterStep outerStep(DataHypercleaning p, HypergradientMethod method) {
        InnerLoop inner = new InnerLoop(p, new Sgd(SgdSettings.builder().learningRate(0.1).momentum(0.9).build()), 3);
        return method.run(p, p.initialInner(new Rng(2)), p.initialOuter(), inner, new Rng(0));
    }

    private static void assertSameOnDevice(Params expected, Params actual, Device device, String what) {
        for (String name : expected.names()) {
            Tensor t = actual.value(name);
            assertSame(device, t.device(), name + " left the device (" + what + ")");
            assertEquals(expected.value(name), t.to(Device.host()), name + " (" + what + ")");
        }
    }
}
