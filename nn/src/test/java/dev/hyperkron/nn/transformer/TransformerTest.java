package dev.hyperkron.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.CapturedLayer;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.LayerObserver;
import dev.hyperkron.nn.Pretrained;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Naming, packing, pretrained loading, mask reporting and the errors of the transformer layers. */
class TransformerTest {
    private final Rng rng = new Rng(7);

    @Test
    void parametersCarryHuggingFaceNames() {
        Params p = new SequenceClassifier(BertEncoder.full(TinyBert.CONFIG, 0), Pooling.CLS, 6, 0).init(rng, DType.F32);
        assertTrue(p.contains("embeddings.word_embeddings.weight"));
        assertTrue(p.contains("embeddings.LayerNorm.bias"));
        assertTrue(p.contains("encoder.layer.1.attention.self.query.weight"));
        assertTrue(p.contains("encoder.layer.1.attention.output.LayerNorm.weight"));
        assertTrue(p.contains("encoder.layer.0.intermediate.dense.bias"));
        assertTrue(p.contains("encoder.layer.0.output.dense.weight"));
        assertEquals(List.of(6, 4), List.of(p.get("classifier.weight").dim(0), p.get("classifier.weight").dim(1)));
        Params top = new BertEncoder(TinyBert.CONFIG, false, 1, 2, 0).init(rng, DType.F32);
        assertTrue(top.names().stream().allMatch(name -> name.startsWith("encoder.layer.1.")), top.names().toString());
    }

    @Test
    void pretrainedWeightsReplaceTheInitialisationByName() {
        BertEncoder top = new BertEncoder(TinyBert.CONFIG, false, 1, 2, 0);
        SequenceClassifier model = new SequenceClassifier(top, Pooling.CLS, 3, 0);
        Params whole = BertEncoder.full(TinyBert.CONFIG, 0).init(new Rng(1), DType.F64);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        whole.names().forEach(name -> weights.put(name, whole.value(name)));
        Params p = new Pretrained(model, weights).init(rng, DType.F32);
        String q = "encoder.layer.1.attention.self.query.weight";
        assertEquals(DType.F32, p.get(q).dtype());
        assertTrue(p.value(q).cast(DType.F64).sub(whole.value(q)).abs().max().item() < 1e-6);
        assertEquals(List.of("classifier.weight", "classifier.bias"), new Pretrained(model, weights).freshNames(DType.F32));
        weights.put(q, Tensor.zeros(DType.F64, 3, 3));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> new Pretrained(model, weights).init(rng, DType.F32));
        assertTrue(shape.getMessage().contains(q) && shape.getMessage().contains("[3, 3]"), shape.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new Pretrained(model, Map.of("bert.x", Tensor.zeros(DType.F32, 1))).init(rng, DType.F32));
        assertTrue(none.getMessage().contains("none of the module's parameters"), none.getMessage());
    }

    @Test
    void packingKeepsFeaturesAndMaskTogether() {
        Tensor states = TinyBert.states(rng, 2, 3);
        Tensor mask = Tensor.of(new double[] {1, 1, 0, 1, 0, 0}, 2, 3);
        Tensor packed = PaddedSequences.pack(states, mask);
        assertEquals(List.of(2, 3, 5), List.of(packed.dim(0), packed.dim(1), packed.dim(2)));
        assertEquals(mask, PaddedSequences.mask(packed));
        assertEquals(states, PaddedSequences.features(packed));
        assertEquals(2, PaddedSequences.usedLength(mask));
        IllegalArgumentException notBinary = assertThrows(IllegalArgumentException.class,
                () -> PaddedSequences.pack(states, mask.mul(0.5)));
        assertTrue(notBinary.getMessage().contains("only 0 (padding) and 1"), notBinary.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PaddedSequences.pack(states, Tensor.ones(DType.F64, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> PaddedSequences.mask(Tensor.zeros(DType.F32, 2, 3)));
    }

    @Test
    void linearLayersReportTheMaskOfSequenceInputsOnly() {
        Map<String, Tensor> masks = new LinkedHashMap<>();
        LayerObserver observer = new LayerObserver() {
            @Override
            public void onInput(CapturedLayer layer, Tensor input, Tensor positionMask) {
                masks.put(layer.path(), positionMask);
            }

            @Override
            public void onOutputGradient(CapturedLayer layer, Tensor gradOutput) {
            }
        };
        SequenceClassifier model = new SequenceClassifier(new BertEncoder(TinyBert.CONFIG, false, 0, 1, 0),
                Pooling.MEAN, 3, 0);
        Tensor mask = Tensor.of(new double[] {1, 1, 0, 1, 0, 0}, 2, 3);
        Tensor input = PaddedSequences.pack(TinyBert.states(rng, 2, 3), mask);
        model.apply(model.init(rng, DType.F64), Var.constant(input), Context.eval().withObserver(observer));
        assertEquals(List.of("encoder.layer.0.attention.self.query", "encoder.layer.0.attention.self.key",
                "encoder.layer.0.attention.self.value", "encoder.layer.0.attention.output.dense",
                "encoder.layer.0.intermediate.dense", "encoder.layer.0.output.dense", "classifier"),
                List.copyOf(masks.keySet()));
        assertEquals(mask.slice(1, 0, 2), masks.get("encoder.layer.0.intermediate.dense"));
        assertNull(masks.get("classifier"), "the pooled [N, H] input of the head has no positions");
    }

    @Test
    void badInputsAreNamed() {
        BertEncoder encoder = BertEncoder.full(TinyBert.CONFIG, 0);
        Params p = encoder.init(rng, DType.F64);
        Tensor mask = Tensor.ones(DType.F64, 1, 2);
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class, () -> encoder.encode(p,
                Var.constant(PaddedSequences.pack(Tensor.of(new double[] {1.5, 0, 2, 0}, 1, 2, 2), mask)), Context.eval()));
        assertTrue(fraction.getMessage().contains("token id 1.5 is not a whole number"), fraction.getMessage());
        IllegalArgumentException vocabulary = assertThrows(IllegalArgumentException.class, () -> encoder.encode(p,
                Var.constant(PaddedSequences.pack(Tensor.of(new double[] {11, 0, 2, 0}, 1, 2, 2), mask)), Context.eval()));
        assertTrue(vocabulary.getMessage().contains("id 11"), vocabulary.getMessage());
        Tensor tooLong = PaddedSequences.pack(Tensor.zeros(DType.F64, 1, 9, 2), Tensor.ones(DType.F64, 1, 9));
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(p, Var.constant(tooLong), Context.eval()));
        assertTrue(length.getMessage().contains("longer than the model's 8"), length.getMessage());
        IllegalArgumentException states = assertThrows(IllegalArgumentException.class, () -> encoder.encode(p,
                Var.constant(PaddedSequences.pack(TinyBert.states(rng, 1, 2), mask)), Context.eval()));
        assertTrue(states.getMessage().contains("tokens [N, T, 3]"), states.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BertEncoder(TinyBert.CONFIG, true, 1, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new SelfAttention(6, 4, 0));
    }
}
