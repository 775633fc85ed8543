package dev.hyperkron.nn.transformer;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.text.BertConfig;

/** Small BERT configurations and padded batches for the transformer tests. */
final class TinyBert {
    /** Two layers, hidden 4 in 2 heads, FFN 6; LayerNorm epsilon large enough for finite differences. */
    static final BertConfig CONFIG = new BertConfig(2, 4, 2, 6, 11, 8, 2, 1e-5);

    private TinyBert() {
    }

    /** A right-padded mask [n, t] of random lengths in [1, t], with at least one full-length row. */
    static Tensor mask(Rng rng, int n, int t) {
        double[] m = new double[n * t];
        for (int r = 0; r < n; r++) {
            int length = r == 0 ? t : 1 + rng.nextInt(t);
            for (int c = 0; c < length; c++) {
                m[r * t + c] = 1;
            }
        }
        return Tensor.of(m, n, t);
    }

    /** Random token features [n, t, 2] (ids below the vocabulary, type ids 0 or 1) in F64. */
    static Tensor tokens(Rng rng, int n, int t) {
        double[] v = new double[n * t * 2];
        for (int i = 0; i < n * t; i++) {
            v[2 * i] = rng.nextInt(CONFIG.vocabSize());
            v[2 * i + 1] = rng.nextInt(2);
        }
        return Tensor.of(v, n, t, 2);
    }

    /** Hidden states [n, t, hidden] with standard normal entries. */
    static Tensor states(Rng rng, int n, int t) {
        return Tensor.randn(rng, DType.F64, n, t, CONFIG.hidden());
    }
}
