package dev.hyperkron.nn.models;

import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.layers.Conv2d;
import dev.hyperkron.nn.layers.Flatten;
import dev.hyperkron.nn.layers.Linear;
import dev.hyperkron.nn.layers.MaxPool2d;
import dev.hyperkron.nn.layers.Sequential;
import java.util.ArrayList;
import java.util.List;

/** Builders for the models of the paper's experiments: logistic regression, MLP and a LeNet-style CNN. */
public final class Models {
    private Models() {
    }

    /** Flatten then one Linear layer: multinomial logistic regression on [N, ...] inputs. */
    public static Sequential logisticRegression(int inFeatures, int classes) {
        return new Sequential(new Flatten(), new Linear(inFeatures, classes));
    }

    /** Flatten, then Linear + activation for each hidden size, then a Linear output layer. */
    public static Sequential mlp(int inFeatures, int[] hidden, int classes, Activation activation) {
        List<Module> layers = new ArrayList<>();
        layers.add(new Flatten());
        int width = inFeatures;
        for (int h : hidden) {
            layers.add(new Linear(width, h));
            layers.add(activation);
            width = h;
        }
        layers.add(new Linear(width, classes));
        return new Sequential(layers.toArray(new Module[0]));
    }

    /**
     * LeNet-style CNN: conv 6@5x5, ReLU, max-pool 2, conv 16@5x5, ReLU, max-pool 2, then fully
     * connected 120, 84 and {@code classes}. For inputs smaller than 28 both convolutions pad by 2,
     * keeping the size (8x8 digits end in 16x2x2 features; 28x28 MNIST, unpadded, in 16x4x4).
     */
    public static Sequential lenet(int channels, int height, int width, int classes) {
        int pad = Math.min(height, width) < 28 ? 2 : 0;
        ConvGeometry c1 = ConvGeometry.square(5, 1, pad, 1);
        ConvGeometry c2 = ConvGeometry.square(5, 1, pad, 1);
        int h = c1.outHeight(height) / 2;
        int w = c1.outWidth(width) / 2;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("LeNet: a " + height + "x" + width + " input is too small");
        }
        int h2 = c2.outHeight(h) / 2;
        int w2 = c2.outWidth(w) / 2;
        if (h2 < 1 || w2 < 1) {
            throw new IllegalArgumentException("LeNet: a " + height + "x" + width + " input is too small for two conv+pool stages");
        }
        return new Sequential(
                new Conv2d(channels, 6, c1, 1, true), Activation.relu(), new MaxPool2d(2),
                new Conv2d(6, 16, c2, 1, true), Activation.relu(), new MaxPool2d(2),
                new Flatten(),
                new Linear(16 * h2 * w2, 120), Activation.relu(),
                new Linear(120, 84), Activation.relu(),
                new Linear(84, classes));
    }
}
