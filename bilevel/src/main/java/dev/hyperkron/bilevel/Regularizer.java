package dev.hyperkron.bilevel;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;

/**
 * The part of an inner loss that does not go through the model's outputs, R(theta, lambda), with
 * the curvature it adds as a multiple of the identity: what KFAC-type solvers add to their
 * damping. Exact for a uniform L2 term; for other regularizers the multiple is an approximation
 * that {@link #curvature} documents.
 */
public interface Regularizer {

    /** R(theta, lambda), recorded so that it can be differentiated with respect to either. */
    Var at(Params theta, Params lambda);

    /** c such that c I stands for d^2 R / d theta^2 at lambda. */
    double curvature(Params lambda);

    /** No regularizer. */
    static Regularizer none() {
        return L2.NONE;
    }

    /** (c/2) ||theta||^2 over every parameter: curvature exactly c I. */
    static Regularizer l2(double c) {
        return c == 0 ? L2.NONE : new L2(c);
    }

    /** The uniform L2 term. */
    record L2(double coefficient) implements Regularizer {
        static final L2 NONE = new L2(0);

        public L2 {
            dev.hyperkron.core.Require.finiteNonNegative("L2 coefficient", coefficient);
        }

        @Override
        public Var at(Params theta, Params lambda) {
            if (coefficient == 0) {
                return null;
            }
            Var total = null;
            for (Var p : theta.vars()) {
                Var term = p.dot(p);
                total = total == null ? term : total.add(term);
            }
            return total == null ? null : total.mul(coefficient / 2);
        }

        @Override
        public double curvature(Params lambda) {
            return coefficient;
        }
    }
}
