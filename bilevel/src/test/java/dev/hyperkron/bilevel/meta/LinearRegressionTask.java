package dev.hyperkron.bilevel.meta;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.layers.Linear;
import dev.hyperkron.nn.loss.MseLoss;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A task on a linear model y = W x + b with mean squared error (F64): every loss is the quadratic
 * 1/2 theta^T H theta - beta^T theta + c in theta = [vec_r(W); b] (the layout of Params.flatten),
 * so the adapted parameters theta* = (H_s + lam I)^{-1} (beta_s + lam phi) and the iMAML
 * meta-gradient lam (H_s + lam I)^{-1} (H_q theta* - beta_q) are known in closed form (EJML solves).
 */
final class LinearRegressionTask {
    final int in;
    final int out;
    final Linear model;
    final MetaTask task;
    final Params phi;

    LinearRegressionTask(long seed, int in, int out, int supportSize, int querySize) {
        Rng rng = new Rng(seed);
        this.in = in;
        this.out = out;
        this.model = new Linear(in, out);
        this.phi = model.init(rng, DType.F64);
        Tensor w = Tensor.randn(rng, DType.F64, in, out);
        this.task = new MetaTask(batch(rng, w, supportSize), batch(rng, w, querySize), QueryMetric.LOSS);
    }

    private LossBatch batch(Rng rng, Tensor w, int n) {
        Tensor x = Tensor.randn(rng, DType.F64, n, in);
        Tensor y = x.matmul(w).add(Tensor.randn(rng, DType.F64, n, out).mul(0.3));
        return LossBatch.of(model, x, y, new MseLoss());
    }

    int dim() {
        return out * (in + 1);
    }

    /** theta's index of W[c][j] (j = in: the bias b[c]), in the layout of Params.flatten (weight, then bias). */
    private int index(int c, int j) {
        return j < in ? c * in + j : out * in + c;
    }

    private static double feature(Tensor x, int n, int j) {
        return j < x.dim(1) ? x.get(n, j) : 1.0;
    }

    /** H of the mean MSE: 2/(N C) sum_n x~_n x~_n^T for every output row. */
    DMatrixRMaj hessian(LossBatch b) {
        int n = b.size();
        double scale = 2.0 / ((double) n * out);
        DMatrixRMaj h = new DMatrixRMaj(dim(), dim());
        for (int c = 0; c < out; c++) {
            for (int j = 0; j <= in; j++) {
                for (int k = 0; k <= in; k++) {
                    double s = 0;
                    for (int e = 0; e < n; e++) {
                        s += feature(b.inputs(), e, j) * feature(b.inputs(), e, k);
                    }
                    h.set(index(c, j), index(c, k), scale * s);
                }
            }
        }
        return h;
    }

    /** beta of the mean MSE: 2/(N C) sum_n y_nc x~_n. */
    DMatrixRMaj linearTerm(LossBatch b) {
        int n = b.size();
        double scale = 2.0 / ((double) n * out);
        DMatrixRMaj beta = new DMatrixRMaj(dim(), 1);
        for (int c = 0; c < out; c++) {
            for (int j = 0; j <= in; j++) {
                double s = 0;
                for (int e = 0; e < n; e++) {
                    s += b.targets().get(e, c) * feature(b.inputs(), e, j);
                }
                beta.set(index(c, j), 0, scale * s);
            }
        }
        return beta;
    }

    static DMatrixRMaj column(Params p) {
        return new DMatrixRMaj(p.flatten().size(), 1, true, p.flatten().cast(DType.F64).toDoubleArray());
    }

    /** (H_s + lam I)^{-1} rhs. */
    DMatrixRMaj solveDamped(double lam, DMatrixRMaj rhs) {
        DMatrixRMaj a = hessian(task.support());
        for (int i = 0; i < dim(); i++) {
            a.add(i, i, lam);
        }
        DMatrixRMaj x = new DMatrixRMaj(dim(), 1);
        if (!CommonOps_DDRM.solve(a, rhs, x)) {
            throw new IllegalStateException("H + lam I is singular");
        }
        return x;
    }

    /** theta* = argmin L_s(theta) + lam/2 ||theta - phi||^2 = (H_s + lam I)^{-1} (beta_s + lam phi). */
    DMatrixRMaj adapted(double lam) {
        DMatrixRMaj rhs = linearTerm(task.support());
        CommonOps_DDRM.addEquals(rhs, lam, column(phi));
        return solveDamped(lam, rhs);
    }

    /** grad L_q(theta) = H_q theta - beta_q. */
    DMatrixRMaj queryGradient(DMatrixRMaj theta) {
        DMatrixRMaj g = new DMatrixRMaj(dim(), 1);
        CommonOps_DDRM.mult(hessian(task.query()), theta, g);
        CommonOps_DDRM.subtractEquals(g, linearTerm(task.query()));
        return g;
    }

    /** The IFT meta-gradient at the exact inner solution: lam (H_s + lam I)^{-1} grad L_q(theta*). */
    DMatrixRMaj iftMetaGradient(double lam) {
        DMatrixRMaj g = solveDamped(lam, queryGradient(adapted(lam)));
        CommonOps_DDRM.scale(lam, g);
        return g;
    }

    /** 1 / (tr H_s + lam), below 1 / lambda_max(H_s + lam I): a step at which gradient descent converges monotonically. */
    double stableStep(double lam) {
        return 1.0 / (CommonOps_DDRM.trace(hessian(task.support())) + lam);
    }
}
