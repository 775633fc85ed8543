package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.Objective;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.core.Rng;
import java.util.List;

/**
 * What every task whose inner problem trains a classifier shares: theta is the model's
 * parameters, the outer loss is the validation cross-entropy, and the batch samplers' state is
 * the classifier's. Subclasses say what lambda is and how it enters the inner loss.
 */
abstract class ClassifierProblem implements BilevelProblem {
    /** The model, its per-role batches and its test set. */
    protected final Classifier classifier;
    /** The dtype of the parameters and data. */
    protected final DType dtype;
    /** Where the parameters and features live (labels and batch positions stay on the host). */
    protected final Device device;

    /** A problem on the host. */
    ClassifierProblem(Classifier classifier, DType dtype) {
        this(classifier, dtype, Device.host());
    }

    ClassifierProblem(Classifier classifier, DType dtype, Device device) {
        this.classifier = classifier;
        this.dtype = dtype;
        this.device = device;
    }

    /** {@code d} in this problem's dtype, on its device. */
    static Dataset prepared(Dataset d, DType dtype, Device device) {
        return d.cast(dtype).to(device);
    }

    @Override
    public Params initialInner(Rng rng) {
        Params init = classifier.model().init(rng, dtype);
        return device == Device.host() ? init : init.to(device).asLeaves();
    }

    @Override
    public Objective outer() {
        return classifier.validationLoss();
    }

    @Override
    public List<long[]> samplerState() {
        return classifier.samplerState();
    }

    @Override
    public void restoreSamplerState(List<long[]> state) {
        classifier.restoreSamplerState(state);
    }
}
