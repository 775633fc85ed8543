package dev.hyperkron.bench.experiments;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.ConjugateGradient;
import dev.hyperkron.kfac.CurvatureOperator;
import dev.hyperkron.kfac.ExactSolver;
import dev.hyperkron.kfac.GgnOperator;
import dev.hyperkron.kfac.HessianOperator;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.LinearOperator;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.kfac.Minres;
import dev.hyperkron.kfac.SolveReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * q* = (C + delta I)^{-1} v, an answer every approximate IHVP is scored against, computed in F64
 * for a curvature C: the Hessian (what implicit differentiation asks for; indefinite away from a
 * minimum, where delta is small) or the generalized Gauss-Newton matrix (positive semi-definite;
 * what KFAC approximates). By a dense solve when the parameter count allows it, otherwise by
 * MINRES (Hessian: it needs no definiteness) or CG (GGN) to a relative residual of 1e-10. The
 * description says which, and how well it went.
 *
 * @param curvature   which curvature C
 * @param q           the reference solution (F64)
 * @param exact       whether it is the dense exact solve
 * @param description how it was computed, for the report
 * @param seconds     wall-clock seconds it took
 */
public record ReferenceIhvp(Curvature curvature, Params q, boolean exact, String description, double seconds) {
    private static final double TOLERANCE = 1e-10;

    /** The curvature a reference inverts. */
    public enum Curvature {
        HESSIAN, GGN;

        /** "Hessian" or "GGN", for tables. */
        public String label() {
            return this == HESSIAN ? "Hessian" : "GGN";
        }
    }

    /** The reference for {@code problem} at the given damping. */
    public static ReferenceIhvp compute(IhvpProblem problem, Curvature curvature, double damping, int exactMaxParams,
                                        int maxIterations) {
        long start = System.nanoTime();
        Params params = problem.params();
        List<Tensor> values = new ArrayList<>();
        for (Tensor t : params.values()) {
            values.add(t.cast(DType.F64));
        }
        LossBatch b = problem.batch();
        LossBatch batch = new LossBatch(b.model(), b.inputs().cast(DType.F64), b.targets(), null, b.loss(), b.reduction());
        Params at = params.withValues(values);
        CurvatureOperator operator = curvature == Curvature.HESSIAN ? HessianOperator.of(at, List.of(batch))
                : GgnOperator.of(at, List.of(batch));
        Params v = problem.v().cast(DType.F64);
        int n = (int) v.numel();
        if (n <= exactMaxParams) {
            LinearOperator dense = LinearOperator.dense(operator.domain(), operator.toDense());
            String what = String.format(Locale.ROOT, "exact: dense F64 %s (%d x %d) + %.4g I, ", curvature.label(), n, n,
                    damping);
            Params q;
            try {
                q = ExactSolver.of(dense, damping).apply(v);
                what += "Cholesky (positive definite)";
            } catch (IllegalArgumentException notPositiveDefinite) {
                q = ExactSolver.indefinite(dense, damping).apply(v);
                what += "LU: NOT positive definite (CG meets negative curvature there)";
            }
            return new ReferenceIhvp(curvature, q, true, what, seconds(start));
        }
        IhvpSolver solver = curvature == Curvature.HESSIAN ? Minres.of(operator, damping, maxIterations, TOLERANCE)
                : ConjugateGradient.of(operator, damping, maxIterations, TOLERANCE);
        IhvpSolver.Solution solution = solver.solve(v);
        SolveReport report = solution.report();
        String what = String.format(Locale.ROOT, "%s in F64 on the %s + %.4g I (%d parameters exceed --exact-max-params "
                        + "%d): %d iterations, relative residual %.1e", curvature == Curvature.HESSIAN ? "MINRES" : "CG",
                curvature.label(), damping, n, exactMaxParams, report.iterations(), report.relativeResidual());
        if (!report.converged()) {
            what += String.format(Locale.ROOT, " (did NOT reach %.0e: raise --reference-iterations)", TOLERANCE);
        }
        return new ReferenceIhvp(curvature, solution.value(), false, what, seconds(start));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
