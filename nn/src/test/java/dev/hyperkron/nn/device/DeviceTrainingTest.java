package dev.hyperkron.nn.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.device.SimulatedDevice;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Reduction;
import dev.hyperkron.nn.models.Models;
import dev.hyperkron.nn.optim.Adam;
import dev.hyperkron.nn.optim.AdamSettings;
import dev.hyperkron.nn.optim.Sgd;
import dev.hyperkron.nn.optim.SgdSettings;
import dev.hyperkron.nn.text.BertConfig;
import dev.hyperkron.nn.transformer.BertEncoder;
import dev.hyperkron.nn.transformer.PaddedSequences;
import dev.hyperkron.nn.transformer.Pooling;
import dev.hyperkron.nn.transformer.SequenceClassifier;
import org.junit.jupiter.api.Test;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Training on a device: a model whose parameters and inputs were moved there once computes its
 * loss, gradient, Hessian-vector product and optimizer steps there, with every result equal to
 * the host's to the bit, and copies nothing to the host but the loss values it is asked for.
 * The device is core's {@link SimulatedDevice}, whose buffers are not Java arrays.
 */
class DeviceTrainingTest {

    enum Model {
        MLP(Models.mlp(20, new int[] {16, 12}, 5, Activation.relu()), new int[] {8, 20}),
        MLP_TANH(Models.mlp(20, new int[] {16}, 5, Activation.tanh()), new int[] {8, 20}),
        LENET(Models.lenet(1, 8, 8, 5), new int[] {4, 1, 8, 8});

        final Module module;
        final int[] inputDims;

        Model(Module module, int[] inputDims) {
            this.module = module;
            this.inputDims = inputDims;
        }
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void gradientHvpAndStepsOnADeviceEqualTheHostsWithoutCopiesToTheHost(Model model) {
        for (DType dtype : DType.values()) {
            if (dtype.isFloating()) {
                check(model, dtype);
            }
        }
    }

    private static void check(Model model, DType dtype) {
        SimulatedDevice device = new SimulatedDevice("sim:0");
        Rng rng = new Rng(11);
        Params params = model.module.init(rng, dtype);
        Tensor x = Tensor.randn(rng, dtype, model.inputDims);
        Tensor targets = Tensor.of(new long[] {0, 3, 1, 4, 2, 2, 0, 1}).slice(0, 0, model.inputDims[0]);
        Params v = params.mapValues(t -> Tensor.randn(rng, dtype, t.shape().dims()));

        Training host = Training.run(model.module, params, x, targets, v);
        Params onDevice = params.to(device);
        Tensor xOnDevice = x.to(device);
        Params vOnDevice = v.to(device);
        long downloads = device.downloads();
        Training there = Training.run(model.module, onDevice, xOnDevice, targets, vOnDevice);
        assertEquals(downloads + Training.LOSS_READS, device.downloads(),
                "only the losses read with item() are copied to the host");

        assertEquals(host.loss, there.loss);
        assertSameOnDevice(host.grad, there.grad, device);
        assertSameOnDevice(host.hvp, there.hvp, device);
        assertSameOnDevice(host.afterSgd, there.afterSgd, device);
        assertSameOnDevice(host.afterAdam, there.afterAdam, device);
    }

    /**
     * A small BERT classifier (2 post-LN layers, 2 heads, padded sequences, mean pooling) on the
     * device: loss and gradient equal to the host's, the only copies to the host the token ids
     * and the mask's used length read from the packed batch, and the loss.
     */
    @Test
    void aTransformerClassifierOnADeviceEqualsTheHost() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            SimulatedDevice device = new SimulatedDevice("sim:0");
            BertConfig config = new BertConfig(2, 16, 2, 32, 50, 16, 2, 1e-12);
            Module model = new SequenceClassifier(BertEncoder.full(config, 0), Pooling.MEAN, 3, 0);
            Rng rng = new Rng(3);
            Params params = model.init(rng, dtype);
            double[] tokens = new double[4 * 7 * 2];
            double[] mask = new double[4 * 7];
            for (int i = 0; i < 4 * 7; i++) {
                tokens[2 * i] = rng.nextInt(config.vocabSize());
                tokens[2 * i + 1] = rng.nextInt(2);
                mask[i] = i % 7 < 3 + i / 7 ? 1 : 0; // sequences of 3 to 6 real tokens
            }
            Tensor batch = PaddedSequences.pack(Tensor.of(tokens, 4, 7, 2).cast(dtype), Tensor.of(mask, 4, 7));
            Tensor targets = Tensor.of(new long[] {0, 2, 1, 2});
            CrossEntropyLoss ce = new CrossEntropyLoss();
            Function<Tensor, Function<Params, Var>> lossOn = x -> p -> ce.apply(
                    model.apply(p, Var.constant(x), Context.eval()), targets, Reduction.MEAN);

            Grad.ValueAndGrad host = Grad.valueAndGrad(lossOn.apply(batch), params);
            Grad.ValueAndGrad there = Grad.valueAndGrad(lossOn.apply(batch.to(device)), params.to(device).asLeaves());
            assertEquals(host.value(), there.value(), dtype.toString());
            assertSameOnDevice(host.grad(), there.grad(), device);
        }
    }

    private static void assertSameOnDevice(Params expected, Params actual, Device device) {
        for (String name : expected.names()) {
            Tensor a = actual.value(name);
            assertSame(device, a.device(), name + " left the device");
            assertEquals(expected.value(name), a.to(Device.host()), name);
        }
    }

    /** What one run computes: the loss, its gradient, an HVP, and parameters after optimizer steps. */
    private record Training(double loss, Params grad, Params hvp, Params afterSgd, Params afterAdam) {
        /** item() calls below: one loss value, then one per optimizer step. */
        static final int LOSS_READS = 1 + 2 + 2;

        static Training run(Module module, Params params, Tensor x, Tensor targets, Params v) {
            CrossEntropyLoss ce = new CrossEntropyLoss();
            Function<Params, Var> loss = p -> ce.apply(module.apply(p, Var.constant(x), Context.eval()), targets,
                    Reduction.MEAN);
            Grad.ValueAndGrad vg = Grad.valueAndGrad(loss, params);
            Params hvp = Grad.hvp(loss, params, v);
            Sgd sgd = new Sgd(SgdSettings.builder().learningRate(0.1).momentum(0.9).weightDecay(1e-3).build());
            Params p = params;
            for (int i = 0; i < 2; i++) {
                Grad.ValueAndGrad step = Grad.valueAndGrad(loss, p);
                p = sgd.step(p, step.grad());
            }
            Adam adam = new Adam(AdamSettings.adam().learningRate(1e-2).build());
            Params q = params;
            for (int i = 0; i < 2; i++) {
                Grad.ValueAndGrad step = Grad.valueAndGrad(loss, q);
                q = adam.step(q, step.grad());
            }
            return new Training(vg.value(), vg.grad(), hvp, p, q);
        }
    }
}
