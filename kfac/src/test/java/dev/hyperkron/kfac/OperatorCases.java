package dev.hyperkron.kfac;

import dev.hyperkron.core.Rng;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Every linear operator of the kfac package on a small F64 problem, one row each: the table the
 * operator contract runs over. A new operator joins with one line.
 */
final class OperatorCases {
    private OperatorCases() {
    }

    /** A named way to build an operator from a seed. */
    record Case(String name, LongFunction<LinearOperator> build) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Case> ALL = List.of(
            new Case("dense symmetric", seed -> LinearOperator.dense(Systems.domain(7),
                    Systems.indefinite(new Rng(seed), 7))),
            new Case("Hessian (MLP, 2 batches)", seed -> hessian(Fixtures.mlpCrossEntropy(seed, 4, 2))),
            new Case("Hessian + damping", seed -> hessian(Fixtures.mlpCrossEntropy(seed, 4, 1)).plus(0.3)),
            new Case("GGN (CNN)", seed -> ggn(Fixtures.cnnCrossEntropy(seed, 3))),
            new Case("KFAC type-2 (MLP, unequal batches)", seed -> kfac(unequal(seed), FisherType.TYPE2)),
            new Case("KFAC MC (CNN)", seed -> kfac(Fixtures.cnnCrossEntropy(seed, 3), FisherType.MC)),
            new Case("KFAC (sequence)", seed -> kfac(Fixtures.sequenceCrossEntropy(seed, 3, 4), FisherType.TYPE2)),
            new Case("EKFAC (MLP)", seed -> ekfac(Fixtures.mlpCrossEntropy(seed, 5, 2))),
            new Case("KFAC inverse, heuristic damping", seed -> KfacInverse.of(
                    kfac(Fixtures.mlpCrossEntropy(seed, 5, 1), FisherType.TYPE2), 0.1)),
            new Case("KFAC inverse, exact damping", seed -> KfacInverse.of(kfac(Fixtures.wideMlpCrossEntropy(seed, 2, 1),
                    FisherType.TYPE2), 0.1, KfacInverse.Damping.EXACT, 0)),
            new Case("EKFAC inverse", seed -> EkfacInverse.of(ekfac(Fixtures.mlpCrossEntropy(seed, 5, 1)), 0.1)),
            new Case("exact inverse of the damped Hessian", seed -> ExactSolver.general(
                    hessian(Fixtures.mlpCrossEntropy(seed, 4, 1)), 0.5)));

    /** Two batches of 6 and 2 examples: curvature over their union weighs them 3:1. */
    static Fixtures.Problem unequal(long seed) {
        Fixtures.Problem six = Fixtures.mlpCrossEntropy(seed, 6, 1);
        Fixtures.Problem two = Fixtures.mlpCrossEntropy(seed + 1, 2, 1);
        return new Fixtures.Problem("MLP, batches of 6 and 2", six.model(), six.params(),
                List.of(six.batches().get(0), two.batches().get(0)));
    }

    static HessianOperator hessian(Fixtures.Problem p) {
        return HessianOperator.of(p.params(), p.batches());
    }

    static GgnOperator ggn(Fixtures.Problem p) {
        return GgnOperator.of(p.params(), p.batches());
    }

    static KfacOperator kfac(Fixtures.Problem p, FisherType type) {
        return KfacOperator.builder(p.params()).fisherType(type).mcSamples(2).rng(new Rng(3)).build(p.batches());
    }

    static EkfacOperator ekfac(Fixtures.Problem p) {
        return KfacOperator.builder(p.params()).buildEkfac(p.batches());
    }
}
