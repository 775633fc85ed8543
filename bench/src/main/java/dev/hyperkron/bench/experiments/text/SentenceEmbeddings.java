package dev.hyperkron.bench.experiments.text;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.data.Split;
import dev.hyperkron.nn.text.Trec;
import dev.hyperkron.nn.transformer.PaddedSequences;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TREC questions as fixed sentence embeddings: the mean over real tokens of the whole frozen
 * encoder's last hidden states (the bundled all-MiniLM-L6-v2, as sentence-transformers pools it).
 * A classifier on them is a model that can be trained to a minimum, as influence functions need;
 * the training labels are TREC's noisy ones, so the most harmful examples can be checked against
 * the true labels.
 */
public final class SentenceEmbeddings {
    /** Tokens per question, [CLS] and [SEP] included (text-clean's default). */
    static final int MAX_LENGTH = 64;

    private SentenceEmbeddings() {
    }

    /**
     * {@code trainSize} noisy-labelled training questions drawn at random (seeded), the first
     * {@code validationSize} validation questions of a seeded permutation and every test
     * question, with true labels; features F32 [n, hidden].
     */
    public static Split trec(Path dir, int trainSize, int validationSize, long seed) {
        TextCleaningInputs inputs = TextCleaningInputs.read(dir, null, null);
        Trec trec = inputs.trec();
        if (trainSize > trec.train().size() || validationSize > trec.validation().size()) {
            throw new dev.hyperkron.bench.experiments.UserError("TREC has " + trec.train().size() + " training and "
                    + trec.validation().size() + " validation questions: cannot take " + trainSize + " and "
                    + validationSize);
        }
        Rng rng = new Rng(seed);
        int[] trainPositions = Arrays.copyOf(rng.permutation(trec.train().size()), trainSize);
        int[] validationPositions = Arrays.copyOf(rng.permutation(trec.validation().size()), validationSize);
        List<String> texts = new ArrayList<>();
        Arrays.stream(trainPositions).forEach(i -> texts.add(trec.train().texts().get(i)));
        Arrays.stream(validationPositions).forEach(i -> texts.add(trec.validation().texts().get(i)));
        texts.addAll(trec.test().texts());
        Tensor states = new FrozenBottom(inputs.checkpoint(), inputs.checkpoint().config().layers(), inputs.tokenizer(),
                MAX_LENGTH).states(texts);
        Tensor pooled = meanOverTokens(states);
        int v = trainSize + validationSize;
        Tensor trainLabels = trec.noisyTrainLabels().indexSelect(0, Tensor.of(trainPositions));
        Tensor validationLabels = trec.validation().labels().indexSelect(0, Tensor.of(validationPositions));
        return new Split(Dataset.of(pooled.slice(0, 0, trainSize), trainLabels, Trec.CLASSES),
                Dataset.of(pooled.slice(0, trainSize, v), validationLabels, Trec.CLASSES),
                Dataset.of(pooled.slice(0, v, texts.size()), trec.test().labels(), Trec.CLASSES));
    }

    /** The mean of each sequence's hidden states over its real (unmasked) positions: [N, T, F+1] to [N, F]. */
    static Tensor meanOverTokens(Tensor packed) {
        Tensor mask = PaddedSequences.mask(packed).cast(DType.F32);
        Tensor summed = PaddedSequences.features(packed).mul(mask.unsqueeze(2)).sum(1, false);
        return summed.div(mask.sum(1, true));
    }
}
