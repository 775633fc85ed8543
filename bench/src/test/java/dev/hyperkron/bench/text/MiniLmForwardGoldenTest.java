package dev.hyperkron.bench.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Pretrained;
import dev.hyperkron.nn.text.BertCheckpoint;
import dev.hyperkron.nn.transformer.BertEncoder;
import dev.hyperkron.nn.transformer.PaddedSequences;
import dev.hyperkron.nn.transformer.Pooling;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java BERT encoder with the real all-MiniLM-L6-v2 weights against
 * minilm-forward-golden.json, which bench/scripts/minilm_forward_reference.py writes from a
 * PyTorch BERT built from the same ONNX initializers (itself checked against the exported
 * graph): a padded batch of four sentences, compared on real positions to float32 rounding.
 */
class MiniLmForwardGoldenTest {
    /** F32 forward passes through six layers in another summation order: a few units in the 5th digit. */
    private static final double TOLERANCE = 2e-4;

    private static Map<String, Object> golden;
    private static List<Object> sentences;
    private static BertEncoder.Encoded encoded;

    @BeforeAll
    static void run() throws IOException {
        golden = Golden.read("minilm-forward-golden.json");
        sentences = Golden.list(golden.get("sentences"));
        BertCheckpoint checkpoint = BertCheckpoint.readOnnxResource(BertCheckpoint.MINILM_ONNX_RESOURCE);
        BertEncoder encoder = BertEncoder.full(checkpoint.config(), 0.1);
        Params params = new Pretrained(encoder, checkpoint.weights()).init(new Rng(0), DType.F32);
        int length = (int) (long) (Long) golden.get("padded_length");
        float[] tokens = new float[sentences.size() * length * 2];
        float[] mask = new float[sentences.size() * length];
        for (int r = 0; r < sentences.size(); r++) {
            int[] ids = Golden.ints(Golden.object(sentences.get(r)).get("ids"));
            for (int t = 0; t < ids.length; t++) {
                tokens[(r * length + t) * 2] = ids[t];
                mask[r * length + t] = 1;
            }
        }
        Tensor batch = PaddedSequences.pack(Tensor.of(tokens, sentences.size(), length, 2),
                Tensor.of(mask, sentences.size(), length));
        try (NoGrad ignored = NoGrad.enter()) {
            encoded = encoder.encode(params, Var.constant(batch), Context.eval());
        }
    }

    @Test
    void clsStatesMatchPyTorch() {
        for (int r = 0; r < sentences.size(); r++) {
            double[] expected = doubles(Golden.object(sentences.get(r)).get("cls"));
            Tensor cls = encoded.states().value().slice(0, r, r + 1).slice(1, 0, 1);
            assertClose(expected, cls.toDoubleArray(), "cls of sentence " + r);
        }
    }

    @Test
    void sentenceEmbeddingsMatchPyTorch() {
        Tensor pooled = Pooling.MEAN.pool(encoded.states(), encoded.mask()).value();
        for (int r = 0; r < sentences.size(); r++) {
            Tensor row = pooled.slice(0, r, r + 1);
            double[] embedding = row.div(row.square().sum().sqrt()).toDoubleArray();
            assertClose(doubles(Golden.object(sentences.get(r)).get("sentence_embedding")), embedding,
                    "sentence embedding " + r);
        }
    }

    @Test
    void everyRealPositionMatchesPyTorchInSumsAndSamples() {
        for (int r = 0; r < sentences.size(); r++) {
            Map<String, Object> s = Golden.object(sentences.get(r));
            int n = Golden.ints(s.get("ids")).length;
            Tensor states = encoded.states().value().slice(0, r, r + 1).slice(1, 0, n).cast(DType.F64);
            double scale = n * 384;
            assertEquals((Double) s.get("sum"), states.sum().item(), TOLERANCE * scale, "sum of sentence " + r);
            assertEquals((Double) s.get("sum_of_squares"), states.square().sum().item(), 10 * TOLERANCE * scale,
                    "sum of squares of sentence " + r);
            for (Map.Entry<String, Object> sample : Golden.object(s.get("samples")).entrySet()) {
                String[] td = sample.getKey().split(",");
                assertEquals(((Number) sample.getValue()).doubleValue(),
                        states.get(0, Integer.parseInt(td[0]), Integer.parseInt(td[1])), TOLERANCE,
                        "sentence " + r + " state [" + sample.getKey() + "]");
            }
        }
    }

    @Test
    void trailingPaddingOfTheWholeBatchIsDropped() {
        int longest = sentences.stream().mapToInt(s -> Golden.ints(Golden.object(s).get("ids")).length).max().orElseThrow();
        assertEquals(longest, encoded.mask().dim(1));
        assertTrue(encoded.states().value().abs().max().item() < 100, "hidden states stay finite and moderate");
    }

    private static double[] doubles(Object list) {
        return Golden.list(list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= TOLERANCE, what + ": largest difference " + worst + " > " + TOLERANCE);
    }
}
