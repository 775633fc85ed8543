package dev.hyperkron.bilevel.methods;

import dev.hyperkron.nn.Params;
import dev.hyperkron.nn.optim.SgdSettings;
import java.util.Optional;

/** The inner phase of an outer step: T steps of the (stateful, warm-started) inner optimizer on theta. */
public interface InnerLoop {

    /** The result of the inner phase: theta after the steps and the inner loss at the last step. */
    record Phase(Params theta, double lastLoss) {
    }

    /** Runs the configured number of inner steps from theta at fixed lambda. */
    Phase run(Params theta, Params lambda);

    /** Inner steps per outer step (T). */
    int steps();

    /** The inner optimizer's learning rate. */
    double learningRate();

    /** The inner optimizer's settings when it is SGD (unrolled methods differentiate through SGD). */
    Optional<SgdSettings> sgdSettings();
}
