package dev.hyperkron.bilevel.meta;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.KfacInverse;

/**
 * How one task's meta-gradient dL_query(theta_T(phi))/dphi is estimated: implicitly (iMAML, with
 * any IHVP method), to first order (FOMAML) or by back-propagation through the inner steps (MAML).
 * The factories give the four methods of the comparison.
 */
public interface MetaGradientMethod {

    /** Short name, e.g. "iMAML-CG(5)". */
    String name();

    /** The meta-gradient of one task at phi and the adapted model it was taken at. */
    TaskGradient compute(MetaTask task, Params phi, Adaptation adaptation, Rng rng);

    /**
     * One task's contribution.
     *
     * @param gradient   the meta-gradient with respect to phi (constants)
     * @param theta      the adapted parameters theta_T
     * @param queryLoss  the query loss at theta_T
     */
    record TaskGradient(Params gradient, Params theta, double queryLoss) {
    }

    /** iMAML with CG on (I + H/lam) for {@code iterations} iterations (Rajeswaran et al.'s solver). */
    static MetaGradientMethod imamlCg(int iterations) {
        return new ImplicitMetaGradient(IhvpMethods.cg().iterations(iterations).damping(0));
    }

    /**
     * iMAML with KFAC of the support loss: lam (G kron A + lam I)^{-1} per layer, the damping
     * entering exactly through the factors' eigenbases (MATH.md section 7).
     */
    static MetaGradientMethod imamlKfac() {
        return new ImplicitMetaGradient(IhvpMethods.kfac().damping(0).dampingStrategy(KfacInverse.Damping.EXACT));
    }

    /** iMAML with the exact dense inverse of H + lam I (small models only; the reference). */
    static MetaGradientMethod imamlExact() {
        return new ImplicitMetaGradient(IhvpMethods.exact(0));
    }

    /** First-order MAML: the query gradient at theta_T. */
    static MetaGradientMethod firstOrder() {
        return new FirstOrderMetaGradient();
    }

    /** MAML: back-propagation through all inner steps. */
    static MetaGradientMethod unrolled() {
        return new UnrolledMetaGradient();
    }
}
