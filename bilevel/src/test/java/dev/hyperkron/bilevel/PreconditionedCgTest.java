package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.methods.KrylovIhvp;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.core.Rng;
import org.junit.jupiter.api.Test;

/**
 * AID with KFAC-preconditioned CG on the digits' (convex) logistic regression, F32: it converges
 * to the exact damped hypergradient (to single precision), and at 30 iterations it is more than
 * twice as close to it as plain CG (measured: 7.3e-4 against 2.0e-3).
 */
class PreconditionedCgTest {
    private static final double DAMPING = 1e-3;

    private static double error(KrylovIhvp ihvp, DataHypercleaning p, Params theta, Params exact) {
        Params got = new ImplicitDifferentiation(ihvp).hypergradient(p, theta, p.initialOuter(), new Rng(3)).value();
        return got.sub(exact).norm() / exact.norm();
    }

    @Test
    void pcgReachesTheExactHypergradientAndBeatsPlainCgAtEqualIterations() {
        DataHypercleaning p = DigitsHypercleaningTest.problem(3);
        Params theta = DigitsHypercleaningTest.run(new ImplicitDifferentiation(IhvpMethods.kfac()), 3).theta();
        Params exact = new ImplicitDifferentiation(IhvpMethods.exact(DAMPING)).hypergradient(p, theta, p.initialOuter(),
                new Rng(3)).value();
        KrylovIhvp cg = IhvpMethods.cg().damping(DAMPING);
        double pcg100 = error(cg.iterations(100).preconditionedBy(IhvpMethods.kfac()), p, theta, exact);
        double pcg30 = error(cg.iterations(30).preconditionedBy(IhvpMethods.kfac()), p, theta, exact);
        double cg30 = error(cg.iterations(30), p, theta, exact);
        assertTrue(pcg100 < 1e-5, "PCG(100) relative error " + pcg100);
        assertTrue(pcg30 < 0.5 * cg30, "PCG(30) " + pcg30 + " vs CG(30) " + cg30);
    }
}
