package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.kfac.FactorCapture;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.KfacOperator;

/**
 * KFAC factors gathered during one inner phase instead of by passes of their own: the inner loop
 * runs each step's forward pass through a {@link FactorCapture} (A from every step's layer inputs,
 * averaged over all T steps' examples) and, on the last step, adds one Fisher-type backward pass
 * through that step's forward graph (G); the IHVP solver is then built from these factors.
 * Made by {@link KfacIhvp#factorsFromInnerSteps()}'s {@link IhvpMethod#innerStepCapture}; one
 * instance serves one inner phase.
 */
public final class InnerStepFactors {
    private final KfacIhvp method;
    private final KfacOperator.Builder builder;
    private final FactorCapture capture;
    private double regularizerCurvature;

    InnerStepFactors(KfacIhvp method, KfacOperator.Builder builder) {
        this.method = method;
        this.builder = builder;
        this.capture = builder.capture();
    }

    /** The loss of one inner step, its forward pass captured. */
    Var loss(InnerObjective g, Params theta, Params lambda) {
        regularizerCurvature = g.regularizerCurvature(lambda);
        return g.capturedAt(theta, lambda, capture);
    }

    /** G from the Fisher-type backward through the last step's forward, before that step's own backward. */
    void lastStepLossComputed() {
        capture.captureOutputGradients();
    }

    /** Inner steps captured so far. */
    public int steps() {
        return capture.forwards();
    }

    /**
     * The IHVP solver from the captured factors, damped by the method's damping plus the inner
     * loss's regularizer curvature (as a solver built on a curvature batch is).
     */
    public IhvpSolver solver() {
        return method.build(builder, capture, regularizerCurvature);
    }
}
