package dev.hyperkron.bench.experiments;

import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.SymmetricEigen;
import dev.hyperkron.kfac.LinearOperator;
import dev.hyperkron.autodiff.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * The extreme eigenvalues of a symmetric operator by k steps of Lanczos with full
 * reorthogonalization (the extreme Ritz values converge first): lambda_max sets the Neumann step
 * alpha = 1 / (lambda_max + delta), lambda_min tells whether the damped Hessian is positive definite.
 *
 * @param smallest   the smallest Ritz value (an upper bound on lambda_min, close to it once converged)
 * @param largest    the largest Ritz value (a lower bound on lambda_max)
 * @param iterations operator applications used
 * @param seconds    wall-clock seconds
 */
public record HessianSpectrum(double smallest, double largest, int iterations, double seconds) {

    /** Runs at most {@code steps} Lanczos steps from a random start (fewer if the Krylov space is exhausted). */
    public static HessianSpectrum lanczos(LinearOperator op, int steps, Rng rng) {
        long start = System.nanoTime();
        Params domain = op.domain();
        Params q = domain.mapValues(t -> Tensor.randn(rng, t.dtype(), t.shape().dims()));
        q = q.scale(1 / q.norm());
        List<Params> basis = new ArrayList<>();
        List<Double> alphas = new ArrayList<>();
        List<Double> betas = new ArrayList<>();
        int k = (int) Math.min(steps, domain.numel());
        for (int j = 0; j < k; j++) {
            basis.add(q);
            Params w = op.apply(q);
            alphas.add(w.dot(q));
            for (int pass = 0; pass < 2; pass++) { // twice is enough (Kahan's "twice is enough")
                for (Params b : basis) {
                    w = w.axpy(-w.dot(b), b);
                }
            }
            double beta = w.norm();
            if (j == k - 1 || beta <= 1e-10 * Math.abs(alphas.get(j))) {
                break;
            }
            betas.add(beta);
            q = w.scale(1 / beta);
        }
        int m = alphas.size();
        double[] tridiagonal = new double[m * m];
        for (int i = 0; i < m; i++) {
            tridiagonal[i * m + i] = alphas.get(i);
            if (i + 1 < m) {
                tridiagonal[(i + 1) * m + i] = betas.get(i);
            }
        }
        SymmetricEigen ritz = SymmetricEigen.ofLowerTriangle(tridiagonal, m);
        return new HessianSpectrum(ritz.eigenvalue(0), ritz.eigenvalue(m - 1), m, (System.nanoTime() - start) / 1e9);
    }
}
