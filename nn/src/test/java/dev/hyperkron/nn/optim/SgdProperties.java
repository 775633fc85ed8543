package dev.hyperkron.nn.optim;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.autodiff.Params;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/** Sgd follows torch.optim.SGD's update, checked against a double-precision transcription over random runs. */
class SgdProperties {

    @Property(tries = 80)
    void followsThePyTorchUpdateInF64(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int steps,
                                      @ForAll @DoubleRange(min = 0, max = 0.99) @Scale(4) double momentum,
                                      @ForAll @DoubleRange(min = 0, max = 1) @Scale(4) double dampening,
                                      @ForAll boolean nesterov,
                                      @ForAll @DoubleRange(min = 0, max = 0.1) @Scale(4) double weightDecay) {
        runAgainstReference(seed, DType.F64, steps, momentum, dampening, nesterov, weightDecay, 1e-12, 1e-12);
    }

    @Property(tries = 30)
    void followsThePyTorchUpdateInF32WithinSinglePrecision(@ForAll long seed,
                                                           @ForAll @IntRange(min = 1, max = 8) int steps,
                                                           @ForAll @DoubleRange(min = 0, max = 0.99) @Scale(4) double momentum,
                                                           @ForAll boolean nesterov,
                                                           @ForAll @DoubleRange(min = 0, max = 0.1) @Scale(4) double weightDecay) {
        runAgainstReference(seed, DType.F32, steps, momentum, 0.1, nesterov, weightDecay, 1e-5, 1e-5);
    }

    // A learning rate drawn afresh before every step also checks that setLearningRate takes effect at once.
    private static void runAgainstReference(long seed, DType dtype, int steps, double momentum, double dampening,
                                            boolean nesterov, double weightDecay, double rtol, double atol) {
        boolean useNesterov = nesterov && momentum > 0;
        double usedDampening = useNesterov ? 0 : dampening;
        Sgd sgd = new Sgd(SgdSettings.builder().momentum(momentum).dampening(usedDampening).nesterov(useNesterov)
                .weightDecay(weightDecay).build());
        ReferenceSgd reference = new ReferenceSgd(momentum, usedDampening, useNesterov, weightDecay);
        Rng rng = new Rng(seed);
        Params params = OptimFixtures.randomParams(rng, dtype);
        List<double[]> expected = OptimFixtures.toDoubles(params);
        for (int t = 1; t <= steps; t++) {
            double lr = 0.5 * rng.nextDouble();
            Params grads = OptimFixtures.randomLike(rng, params);
            sgd.setLearningRate(lr);
            params = sgd.step(params, grads);
            expected = reference.step(expected, OptimFixtures.toDoubles(grads), lr);
            OptimFixtures.assertClose(expected, params, rtol, atol, "step " + t + " of " + sgd.settings());
        }
    }
}
