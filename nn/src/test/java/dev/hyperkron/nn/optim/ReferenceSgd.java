package dev.hyperkron.nn.optim;

import java.util.ArrayList;
import java.util.List;

/** torch.optim.SGD's single-tensor update, transcribed in plain double loops as an independent oracle. */
final class ReferenceSgd {
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;
    private final List<double[]> buffers = new ArrayList<>();

    ReferenceSgd(double momentum, double dampening, boolean nesterov, double weightDecay) {
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    List<double[]> step(List<double[]> params, List<double[]> grads, double lr) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            double[] p = params.get(i);
            double[] d = new double[p.length];
            for (int j = 0; j < p.length; j++) {
                d[j] = grads.get(i)[j] + weightDecay * p[j];
            }
            if (momentum != 0) {
                if (buffers.size() <= i) {
                    buffers.add(d.clone());
                } else {
                    double[] buf = buffers.get(i);
                    for (int j = 0; j < p.length; j++) {
                        buf[j] = momentum * buf[j] + (1 - dampening) * d[j];
                    }
                }
                double[] buf = buffers.get(i);
                for (int j = 0; j < p.length; j++) {
                    d[j] = nesterov ? d[j] + momentum * buf[j] : buf[j];
                }
            }
            double[] next = new double[p.length];
            for (int j = 0; j < p.length; j++) {
                next[j] = p[j] - lr * d[j];
            }
            out.add(next);
        }
        return out;
    }
}
