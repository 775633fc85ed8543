package dev.hyperkron.core.linalg;

/**
 * Roots of the secular equation 1/rho + sum_j w_j^2 / (d_j - lambda) = 0 (rho > 0, d strictly
 * ascending, no w_j zero): the eigenvalues of diag(d) + rho w w^T, one in each gap (d_i,
 * d_{i+1}) and the last in (d_{k-1}, d_{k-1} + rho |w|^2). A root is sought as an offset from
 * the nearer end of its gap, so that its distances to the poles, which the eigenvectors are
 * built from, are accurate even when it lies very close to a pole.
 *
 * <p>Each step models the function by its two nearest poles with weights that match its value
 * and slope (the "middle way" of R.-C. Li, LAPACK Working Note 89) and solves the model
 * exactly; the step is kept inside a bracket that every evaluation narrows, falling back to
 * Newton and then to bisection, so the iteration always converges and usually does so in a
 * few steps.
 */
final class SecularEquation {
    private static final double EPS = Math.ulp(1.0) / 2;
    /** Evaluations of the function carry at most this many roundoffs of the sum of its term magnitudes. */
    private static final double EVALUATION_ROUNDOFFS = 8;
    /** Far more steps than needed: a bracket at worst halves per step, and 64 halvings exhaust a double. */
    private static final int MAX_STEPS = 200;

    private SecularEquation() {
    }

    /**
     * Root i (0-based, ascending) for poles {@code d} and weights {@code w} (both length k >= 1);
     * writes d_j - lambda_i to {@code differences[offset + j]} for every j and returns lambda_i.
     */
    static double root(double[] d, double[] w, double rho, int i, double[] differences, int offset) {
        int k = d.length;
        if (k == 1) {
            double shift = rho * w[0] * w[0];
            differences[offset] = -shift;
            return d[0] + shift;
        }
        int origin;
        double lower;
        double upper;
        // The model's two poles p < q; terms j <= p form psi, the rest phi.
        int p;
        if (i < k - 1) {
            p = i;
            double halfGap = (d[i + 1] - d[i]) / 2;
            double atMiddle = 1 / rho;
            for (int j = 0; j < k; j++) {
                atMiddle += w[j] * w[j] / ((d[j] - d[i]) - halfGap);
            }
            if (atMiddle >= 0) {
                origin = i;
                lower = 0;
                upper = halfGap;
            } else {
                origin = i + 1;
                lower = -halfGap;
                upper = 0;
            }
        } else {
            p = k - 2;
            origin = k - 1;
            double sumSquares = 0;
            for (int j = 0; j < k; j++) {
                sumSquares += w[j] * w[j];
            }
            lower = 0;
            upper = rho * sumSquares;
        }
        int q = p + 1;
        double poleAtOrigin = d[origin];
        for (int j = 0; j < k; j++) {
            differences[offset + j] = d[j] - poleAtOrigin;
        }
        double tau = (lower + upper) / 2;
        for (int step = 0; step < MAX_STEPS; step++) {
            double psi = 0;
            double psiSlope = 0;
            double phi = 0;
            double phiSlope = 0;
            double magnitude = 0;
            for (int j = 0; j <= p; j++) {
                double inverse = 1 / (differences[offset + j] - tau);
                double term = w[j] * w[j] * inverse;
                psi += term;
                psiSlope += term * inverse;
                magnitude -= term;
            }
            for (int j = q; j < k; j++) {
                double inverse = 1 / (differences[offset + j] - tau);
                double term = w[j] * w[j] * inverse;
                phi += term;
                phiSlope += term * inverse;
                magnitude += term;
            }
            double value = 1 / rho + psi + phi;
            double slope = psiSlope + phiSlope;
            if (value == 0) {
                break;
            }
            if (value < 0) {
                lower = tau;
            } else {
                upper = tau;
            }
            if (Math.abs(value) <= EPS * (EVALUATION_ROUNDOFFS * (1 / rho + Math.abs(magnitude)) + Math.abs(tau) * slope)) {
                break;
            }
            double eta = modelStep(value, psiSlope, phiSlope, differences[offset + p] - tau,
                    differences[offset + q] - tau, lower - tau, upper - tau);
            if (Double.isNaN(eta)) {
                eta = -value / slope;
                if (!(tau + eta > lower && tau + eta < upper)) {
                    eta = (lower + upper) / 2 - tau;
                }
            }
            double next = tau + eta;
            if (next == tau || Math.abs(eta) <= 2 * EPS * Math.abs(next)
                    || upper - lower <= 4 * EPS * Math.max(Math.abs(lower), Math.abs(upper))) {
                tau = next;
                break;
            }
            tau = next;
        }
        for (int j = 0; j < k; j++) {
            differences[offset + j] -= tau;
        }
        return poleAtOrigin + tau;
    }

    /**
     * The step eta to the root of c + s/(dp - eta) + t/(dq - eta) with s, t, c chosen so that
     * the model has the function's value and the slopes of its two parts at eta = 0; among the
     * model's roots, the one nearest 0 inside (below, above), or NaN if there is none.
     */
    private static double modelStep(double value, double psiSlope, double phiSlope, double dp, double dq,
                                    double below, double above) {
        double c = value - dp * psiSlope - dq * phiSlope;
        double a = (dp + dq) * value - dp * dq * (psiSlope + phiSlope);
        double b = dp * dq * value;
        double first;
        double second;
        if (c == 0) {
            first = a == 0 ? Double.NaN : b / a;
            second = Double.NaN;
        } else {
            double root = Math.sqrt(Math.max(a * a - 4 * b * c, 0));
            double half = (a + Math.copySign(root, a)) / 2;
            first = half / c;
            second = half == 0 ? Double.NaN : b / half;
        }
        boolean firstInside = first > below && first < above;
        boolean secondInside = second > below && second < above;
        if (firstInside && secondInside) {
            return Math.abs(first) <= Math.abs(second) ? first : second;
        }
        return firstInside ? first : secondInside ? second : Double.NaN;
    }
}
