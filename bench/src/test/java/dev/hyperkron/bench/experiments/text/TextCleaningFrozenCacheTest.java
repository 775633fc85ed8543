package dev.hyperkron.bench.experiments.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bench.experiments.HypercleaningSetup.OptimizerKind;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.Pretrained;
import dev.hyperkron.nn.text.BertCheckpoint;
import dev.hyperkron.nn.text.Trec;
import dev.hyperkron.nn.text.WordPieceTokenizer;
import dev.hyperkron.nn.transformer.BertEncoder;
import dev.hyperkron.nn.transformer.PaddedSequences;
import dev.hyperkron.nn.transformer.Pooling;
import dev.hyperkron.nn.transformer.SequenceClassifier;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Caching the frozen bottom changes nothing: the trainable top on the cached hidden states gives
 * the logits of the whole classifier (embeddings and every layer) on the tokens, for questions of
 * many lengths run in several chunks, with the real all-MiniLM-L6-v2 weights.
 */
class TextCleaningFrozenCacheTest {
    /** F32 forward passes through six layers, with the padding of a chunk in place of a batch's. */
    private static final double TOLERANCE = 1e-4;

    private static BertCheckpoint checkpoint;
    private static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void readModel() throws IOException {
        checkpoint = BertCheckpoint.readOnnxResource(BertCheckpoint.MINILM_ONNX_RESOURCE);
        tokenizer = WordPieceTokenizer.fromResource(BertCheckpoint.MINILM_TOKENIZER_RESOURCE);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void theTopOnCachedStatesGivesTheWholeClassifiersLogits(int layers, @TempDir Path dir) throws IOException {
        Trec trec = Trec.load(TinyTrec.write(dir, 6, 3, FrozenBottom.CHUNK + 7));
        TextCleaningExperiment experiment = new TextCleaningExperiment(new TextCleaningSetup(64, 8, 1, OptimizerKind.SGD,
                0.1, 0.1, 0, Pooling.CLS, 1), new TextCleaningInputs(trec, tokenizer, checkpoint, "MiniLM"), layers);
        Module top = experiment.top();
        Params topParams = top.init(new Rng(3), DType.F32);
        SequenceClassifier whole = new SequenceClassifier(BertEncoder.full(checkpoint.config(), 0), Pooling.CLS,
                Trec.CLASSES, 0);
        Params wholeParams = new Pretrained(whole, checkpoint.weights()).init(new Rng(0), DType.F32)
                .mapNamed((name, v) -> name.startsWith("classifier.") ? topParams.get(name) : v);
        Tensor tokens = PaddedSequences.of(tokenizer.encodeBatch(trec.test().texts(), 64,
                WordPieceTokenizer.Overflow.TRUNCATE, WordPieceTokenizer.Padding.LONGEST));
        Tensor cached;
        Tensor direct;
        try (NoGrad ignored = NoGrad.enter()) {
            cached = top.apply(topParams, Var.constant(experiment.test().features()), Context.eval()).value();
            direct = whole.apply(wholeParams, Var.constant(tokens), Context.eval()).value();
        }
        assertEquals(direct.shape(), cached.shape());
        double error = direct.sub(cached).abs().max().item();
        assertTrue(error < TOLERANCE, "k = " + layers + ": logits differ by up to " + error);
        assertTrue(direct.abs().max().item() > 100 * TOLERANCE, "the logits must not be trivially small");
    }
}
