package dev.hyperkron.bench.experiments;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.ConjugateGradient;
import dev.hyperkron.kfac.ExactSolver;
import dev.hyperkron.kfac.HessianOperator;
import dev.hyperkron.kfac.LinearOperator;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.SolveReport;
import dev.hyperkron.autodiff.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * q* = (H + delta I)^{-1} v, the answer every approximate IHVP is scored against, computed in F64:
 * by a dense exact solve when the parameter count allows it, otherwise by a long CG run to a
 * relative residual of 1e-10. The description says which, and how well it went.
 *
 * @param q           the reference solution (F64)
 * @param exact       whether it is the dense exact solve
 * @param description how it was computed, for the report
 * @param seconds     wall-clock seconds it took
 */
public record ReferenceIhvp(Params q, boolean exact, String description, double seconds) {
    private static final double CG_TOLERANCE = 1e-10;

    /** The reference for {@code problem} at the given damping. */
    public static ReferenceIhvp compute(IhvpProblem problem, double damping, int exactMaxParams, int maxCgIterations) {
        long start = System.nanoTime();
        Params params = problem.params();
        List<Tensor> values = new ArrayList<>();
        for (Tensor t : params.values()) {
            values.add(t.cast(DType.F64));
        }
        LossBatch b = problem.batch();
        LossBatch batch = new LossBatch(b.model(), b.inputs().cast(DType.F64), b.targets(), null, b.loss(), b.reduction());
        HessianOperator hessian = HessianOperator.of(params.withValues(values), List.of(batch));
        Params v = problem.v().cast(DType.F64);
        int n = (int) v.numel();
        if (n <= exactMaxParams) {
            LinearOperator dense = LinearOperator.dense(hessian.domain(), hessian.toDense());
            String what = String.format(Locale.ROOT, "exact: dense F64 Hessian (%d x %d) + %.4g I, ", n, n, damping);
            Params q;
            try {
                q = ExactSolver.of(dense, damping).apply(v);
                what += "Cholesky (the damped Hessian is positive definite)";
            } catch (IllegalArgumentException notPositiveDefinite) {
                q = ExactSolver.indefinite(dense, damping).apply(v);
                what += "LU: the damped Hessian is NOT positive definite (CG meets negative curvature there)";
            }
            return new ReferenceIhvp(q, true, what, seconds(start));
        }
        IhvpSolver.Solution solution = ConjugateGradient.of(hessian, damping, maxCgIterations, CG_TOLERANCE).solve(v);
        SolveReport report = solution.report();
        String what = report.tookFallback()
                ? "CG in F64 broke down (the damped Hessian is indefinite), so " + report.fallback() + ": "
                : "CG in F64 (" + n + " parameters exceed --exact-max-params " + exactMaxParams + "): ";
        what += String.format(Locale.ROOT, "%d iterations, relative residual %.1e", report.iterations(),
                report.relativeResidual());
        if (!report.converged()) {
            what += String.format(Locale.ROOT, " (did NOT reach %.0e: raise --reference-iterations)", CG_TOLERANCE);
        }
        return new ReferenceIhvp(solution.value(), false, what, seconds(start));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
