package dev.hyperkron.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.kernels.Kernels;
import net.jqwik.api.Example;

/** The hand-written SGD step of the resident MLP benchmark is a real training step: on CPU arrays it fits its batch. */
class ResidentMlpStepTest {

    @Example
    void sgdStepsDriveTheBatchLossDown() {
        ResidentMlpStep<float[]> mlp = new ResidentMlpStep<>(Kernels.scalar().f32(), float[]::new, float[]::clone, 3);
        double before = loss(mlp);
        for (int i = 0; i < 30; i++) {
            mlp.step(0.1);
        }
        double after = loss(mlp);
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after);
    }

    /** Mean cross-entropy by naive loops, independent of the kernels. */
    private static double loss(ResidentMlpStep<float[]> m) {
        int in = ResidentMlpStep.IN, hid = ResidentMlpStep.HIDDEN, cls = ResidentMlpStep.CLASSES, batch = ResidentMlpStep.BATCH;
        double total = 0;
        for (int r = 0; r < batch; r++) {
            double[] a = new double[hid];
            for (int j = 0; j < hid; j++) {
                double s = m.b1[j];
                for (int p = 0; p < in; p++) {
                    s += m.x[r * in + p] * m.w1[j * in + p];
                }
                a[j] = Math.max(0, s);
            }
            double[] z = new double[cls];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cls; c++) {
                double s = m.b2[c];
                for (int j = 0; j < hid; j++) {
                    s += a[j] * m.w2[c * hid + j];
                }
                z[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            double target = 0;
            for (int c = 0; c < cls; c++) {
                sum += Math.exp(z[c] - max);
                target += m.y[r * cls + c] * z[c];
            }
            total += max + Math.log(sum) - target;
        }
        return total / batch;
    }
}
