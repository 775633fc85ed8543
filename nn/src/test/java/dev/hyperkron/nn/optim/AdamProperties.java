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

/** Adam and AdamW follow PyTorch's update, checked against a double-precision transcription over random runs. */
class AdamProperties {

    @Property(tries = 80)
    void followsThePyTorchUpdateInF64(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int steps,
                                      @ForAll @DoubleRange(min = 0, max = 0.99) @Scale(4) double beta1,
                                      @ForAll @DoubleRange(min = 0, max = 0.999) @Scale(4) double beta2,
                                      @ForAll @DoubleRange(min = 0, max = 1e-3) @Scale(8) double eps,
                                      @ForAll @DoubleRange(min = 0, max = 0.1) @Scale(4) double weightDecay,
                                      @ForAll boolean decoupled, @ForAll boolean amsgrad) {
        runAgainstReference(seed, DType.F64, steps, beta1, beta2, eps, weightDecay, decoupled, amsgrad, 1e-11, 1e-12);
    }

    @Property(tries = 30)
    void followsThePyTorchUpdateInF32WithinSinglePrecision(@ForAll long seed,
                                                           @ForAll @IntRange(min = 1, max = 8) int steps,
                                                           @ForAll @DoubleRange(min = 0, max = 0.1) @Scale(4) double weightDecay,
                                                           @ForAll boolean decoupled, @ForAll boolean amsgrad) {
        runAgainstReference(seed, DType.F32, steps, 0.9, 0.999, 1e-8, weightDecay, decoupled, amsgrad, 1e-5, 1e-5);
    }

    // A learning rate drawn afresh before every step also checks that setLearningRate takes effect at once.
    private static void runAgainstReference(long seed, DType dtype, int steps, double beta1, double beta2, double eps,
                                            double weightDecay, boolean decoupled, boolean amsgrad,
                                            double rtol, double atol) {
        AdamSettings.Builder builder = decoupled ? AdamSettings.adamW() : AdamSettings.adam();
        Adam adam = new Adam(builder.betas(beta1, beta2).eps(eps).weightDecay(weightDecay).amsgrad(amsgrad).build());
        ReferenceAdam reference = new ReferenceAdam(beta1, beta2, eps, weightDecay, decoupled, amsgrad);
        Rng rng = new Rng(seed);
        Params params = OptimFixtures.randomParams(rng, dtype);
        List<double[]> expected = OptimFixtures.toDoubles(params);
        for (int t = 1; t <= steps; t++) {
            double lr = 0.1 * rng.nextDouble();
            Params grads = OptimFixtures.randomLike(rng, params);
            adam.setLearningRate(lr);
            params = adam.step(params, grads);
            expected = reference.step(expected, OptimFixtures.toDoubles(grads), lr);
            OptimFixtures.assertClose(expected, params, rtol, atol, "step " + t + " of " + adam.settings());
        }
    }

    /** The scaling SAMA adapts its identity IHVP by is the latest step's division by sqrt(v-hat) + eps; before any step, none. */
    @Property(tries = 40)
    void adaptiveScalingDividesByTheLatestSecondMoment(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int steps,
                                                       @ForAll boolean amsgrad) {
        Adam adam = new Adam(AdamSettings.adam().learningRate(0.05).amsgrad(amsgrad).build());
        ReferenceAdam reference = new ReferenceAdam(0.9, 0.999, 1e-8, 0, false, amsgrad);
        Rng rng = new Rng(seed);
        Params params = OptimFixtures.randomParams(rng, DType.F64);
        Params direction = OptimFixtures.randomLike(rng, params);
        OptimFixtures.assertClose(OptimFixtures.toDoubles(direction), adam.adaptiveScaling(direction), 0, 0,
                "before any step");
        List<double[]> expected = OptimFixtures.toDoubles(params);
        for (int t = 1; t <= steps; t++) {
            Params grads = OptimFixtures.randomLike(rng, params);
            params = adam.step(params, grads);
            expected = reference.step(expected, OptimFixtures.toDoubles(grads), 0.05);
        }
        OptimFixtures.assertClose(reference.adaptiveScaling(OptimFixtures.toDoubles(direction)),
                adam.adaptiveScaling(direction), 1e-12, 1e-12, "after " + steps + " steps");
    }
}
