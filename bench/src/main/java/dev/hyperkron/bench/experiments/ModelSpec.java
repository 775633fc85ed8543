package dev.hyperkron.bench.experiments;

import dev.hyperkron.core.Shape;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.models.Models;
import java.util.Arrays;

/** The models of the experiments by name: linear (logistic regression), mlp (hidden sizes) and cnn (LeNet-style). */
public final class ModelSpec {
    private ModelSpec() {
    }

    /** A model for examples of the given shape [C, H, W] and number of classes (the mlp with ReLU). */
    public static Module build(String name, Shape example, int classes, int[] hidden) {
        return build(name, example, classes, hidden, Activation.relu());
    }

    /** The same with another activation of the mlp's hidden layers. */
    public static Module build(String name, Shape example, int classes, int[] hidden, Activation activation) {
        int features = example.size();
        return switch (name) {
            case "linear" -> Models.logisticRegression(features, classes);
            case "mlp" -> Models.mlp(features, hidden, classes, activation);
            case "cnn" -> {
                if (example.rank() != 3) {
                    throw new UserError("the cnn model needs image examples [C, H, W], got " + example);
                }
                yield Models.lenet(example.dim(0), example.dim(1), example.dim(2), classes);
            }
            default -> throw new UserError("unknown model '" + name + "': use linear, mlp or cnn");
        };
    }

    /** "mlp(64)" style description for tables. */
    public static String describe(String name, int[] hidden) {
        return name.equals("mlp") ? "mlp" + Arrays.toString(hidden).replace('[', '(').replace(']', ')').replace(" ", "") : name;
    }
}
