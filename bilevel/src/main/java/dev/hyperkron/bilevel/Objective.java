package dev.hyperkron.bilevel;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.autodiff.Params;

/** A scalar loss of the inner parameters theta and outer variables lambda, on one fixed batch. */
@FunctionalInterface
public interface Objective {

    /** The loss at (theta, lambda), recorded so that it can be differentiated with respect to either. */
    Var at(Params theta, Params lambda);
}
