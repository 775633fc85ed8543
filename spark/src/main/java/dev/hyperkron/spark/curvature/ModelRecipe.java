package dev.hyperkron.spark.curvature;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bench.experiments.ModelSpec;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Loss;
import java.io.Serializable;

/**
 * How to rebuild a classifier on an executor: modules and parameters are not serializable, so a
 * task gets the model's recipe (the app's {@link ModelSpec} names) and its parameters as one flat
 * array, and makes the same model with the same parameter layout.
 *
 * @param model        linear, mlp or cnn
 * @param exampleDims  one example's shape
 * @param hidden       hidden sizes of the mlp
 * @param activation   the mlp's activation ({@link Activation#named})
 * @param dtype        the parameters' and examples' element type
 */
public record ModelRecipe(String model, int[] exampleDims, int classes, int[] hidden, String activation, DType dtype)
        implements Serializable {

    /** The module (deterministic: the same on every executor). */
    public Module build() {
        return ModelSpec.build(model, Shape.of(exampleDims), classes, hidden, Activation.named(activation));
    }

    /** The loss every classifier here is trained with. */
    public Loss loss() {
        return new CrossEntropyLoss();
    }

    /** Parameters of the module's layout with the given flat values. */
    public Params params(Module module, double[] flat) {
        return module.init(new Rng(0), dtype).unflatten(Tensor.of(flat, flat.length).cast(dtype));
    }

    /** The flat values of parameters, as shipped to tasks (exact for F32 and F64). */
    public static double[] flat(Params params) {
        return params.flatten().cast(DType.F64).toDoubleArray();
    }
}
