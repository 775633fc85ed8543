package dev.hyperkron.kfac;

import java.util.List;

/**
 * What one IHVP solve did, the same record for every solver: iterations and operator
 * applications, the residual history of iterative methods, whether it converged, whether it
 * met negative curvature, and the fallback it took (none for most solves).
 *
 * @param solver            e.g. "CG", "MINRES", "KFAC inverse"
 * @param iterations        iterations performed (0 for closed-form and exact solves)
 * @param applications      applications of the curvature operator (HVPs); 0 for closed forms
 * @param residuals         ||b - M q_k|| after each iteration (recurrence estimates for MINRES); the last
 *                          entry is that of the answer returned; empty when not tracked
 * @param initialResidual   ||b||, the residual of q = 0
 * @param converged         whether the solver reached its tolerance (closed forms: true, exact for their operator)
 * @param negativeCurvature whether a direction with p^T M p &lt;= 0 was met
 * @param fallback          the method the solver fell back to, or "" when it took none
 * @param warnings          what the caller should know about the answer (e.g. a barely damped inverse)
 */
public record SolveReport(String solver, int iterations, int applications, List<Double> residuals,
                          double initialResidual, boolean converged, boolean negativeCurvature, String fallback,
                          List<String> warnings) {

    public SolveReport {
        residuals = List.copyOf(residuals);
        warnings = List.copyOf(warnings);
    }

    /** A report without warnings. */
    public SolveReport(String solver, int iterations, int applications, List<Double> residuals, double initialResidual,
                       boolean converged, boolean negativeCurvature, String fallback) {
        this(solver, iterations, applications, residuals, initialResidual, converged, negativeCurvature, fallback,
                List.of());
    }

    /** The same report with one more warning. */
    public SolveReport withWarning(String warning) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.add(warning);
        return new SolveReport(solver, iterations, applications, residuals, initialResidual, converged, negativeCurvature,
                fallback, all);
    }

    /** The report of a closed-form or exact solve: no iterations, exact for the operator it inverts. */
    public static SolveReport closedForm(String solver) {
        return new SolveReport(solver, 0, 0, List.of(), Double.NaN, true, false, "");
    }

    /** Whether a fallback was taken. */
    public boolean tookFallback() {
        return !fallback.isEmpty();
    }

    /** Final residual relative to the right-hand side; NaN when not tracked, 0 for a zero right-hand side. */
    public double relativeResidual() {
        if (initialResidual == 0) {
            return 0;
        }
        return residuals.isEmpty() ? Double.NaN : residuals.get(residuals.size() - 1) / initialResidual;
    }

    /** The same report with a fallback recorded: the answer, residuals and convergence are the fallback's. */
    SolveReport withFallback(String method, SolveReport after) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(after.warnings());
        return new SolveReport(solver + " -> " + after.solver(), iterations + after.iterations(),
                applications + after.applications(), after.residuals(), after.initialResidual(), after.converged(),
                negativeCurvature || after.negativeCurvature(), method, all);
    }
}
