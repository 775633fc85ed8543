package dev.hyperkron.nn.optim;

import java.util.ArrayList;
import java.util.List;

/** torch.optim.Adam / AdamW's single-tensor update, transcribed in plain double loops as an independent oracle. */
final class ReferenceAdam {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final boolean amsgrad;
    private final List<double[]> m = new ArrayList<>();
    private final List<double[]> v = new ArrayList<>();
    private final List<double[]> vMax = new ArrayList<>();
    private int t;

    ReferenceAdam(double beta1, double beta2, double eps, double weightDecay, boolean decoupled, boolean amsgrad) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.amsgrad = amsgrad;
    }

    List<double[]> step(List<double[]> params, List<double[]> grads, double lr) {
        t++;
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            double[] p = params.get(i).clone();
            int n = p.length;
            if (m.size() <= i) {
                m.add(new double[n]);
                v.add(new double[n]);
                vMax.add(new double[n]);
            }
            double biasCorrection1 = 1 - Math.pow(beta1, t);
            double biasCorrection2 = 1 - Math.pow(beta2, t);
            for (int j = 0; j < n; j++) {
                double g = grads.get(i)[j];
                if (decoupled) {
                    p[j] *= 1 - lr * weightDecay;
                } else {
                    g += weightDecay * p[j];
                }
                m.get(i)[j] = beta1 * m.get(i)[j] + (1 - beta1) * g;
                v.get(i)[j] = beta2 * v.get(i)[j] + (1 - beta2) * g * g;
                vMax.get(i)[j] = Math.max(vMax.get(i)[j], v.get(i)[j]);
                double second = amsgrad ? vMax.get(i)[j] : v.get(i)[j];
                double denominator = Math.sqrt(second) / Math.sqrt(biasCorrection2) + eps;
                p[j] -= lr / biasCorrection1 * m.get(i)[j] / denominator;
            }
            out.add(p);
        }
        return out;
    }

    /** direction / (sqrt(v-hat) + eps) with the moments of the latest step: what Adam divides a gradient by. */
    List<double[]> adaptiveScaling(List<double[]> direction) {
        List<double[]> out = new ArrayList<>();
        double biasCorrection2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < direction.size(); i++) {
            double[] d = direction.get(i).clone();
            for (int j = 0; j < d.length; j++) {
                double second = amsgrad ? vMax.get(i)[j] : v.get(i)[j];
                d[j] /= Math.sqrt(second) / Math.sqrt(biasCorrection2) + eps;
            }
            out.add(d);
        }
        return out;
    }
}
