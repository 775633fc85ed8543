package dev.hyperkron.nn.text;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.io.Json;
import dev.hyperkron.core.io.JsonException;
import dev.hyperkron.core.io.Npy;
import dev.hyperkron.nn.data.DatasetFileException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TREC question classification in the WRENCH weak-supervision layout, the data of text data
 * hypercleaning: six classes; a training set whose clean labels are known but whose noisy
 * labels (the majority vote of labeling functions, {@code hard_labels.npy}) are what a model
 * trains on; and clean validation and test sets. Files in the directory: {@code train.json},
 * {@code valid.json}, {@code test.json} (objects keyed "0", "1", ... whose records hold
 * {@code label} and {@code data.text}) and {@code hard_labels.npy} (int64 [train size]).
 *
 * @param train            training questions with their true labels
 * @param noisyTrainLabels the noisy training labels, I64 [train size]
 */
public record Trec(TextExamples train, Tensor noisyTrainLabels, TextExamples validation, TextExamples test) {
    /** TREC's coarse question classes. */
    public static final int CLASSES = 6;

    public Trec {
        train.withLabels(noisyTrainLabels); // throws unless there is one noisy label in [0, CLASSES) per question
    }

    /** The training questions with the noisy labels a model is trained on. */
    public TextExamples noisyTrain() {
        return train.withLabels(noisyTrainLabels);
    }

    /** Reads the four files of {@code dir}; a missing or malformed file is an error naming it and the record. */
    public static Trec load(Path dir) throws IOException {
        TextExamples train = readSplit(dir.resolve("train.json"));
        Path noisyFile = dir.resolve("hard_labels.npy");
        Tensor noisy = Npy.read(noisyFile);
        if (noisy.rank() != 1 || noisy.dim(0) != train.size() || noisy.dtype().isFloating()) {
            throw new DatasetFileException(noisyFile.toString(), "must hold one integer label per training question ("
                    + train.size() + "), but holds " + noisy.dtype() + " " + noisy.shape());
        }
        try {
            return new Trec(train, noisy, readSplit(dir.resolve("valid.json")), readSplit(dir.resolve("test.json")));
        } catch (IllegalArgumentException e) {
            throw new DatasetFileException(noisyFile.toString(), e.getMessage());
        }
    }

    /** One split: records "0".."N-1" in index order. */
    static TextExamples readSplit(Path file) throws IOException {
        String source = file.toString();
        Map<String, Object> root;
        try {
            root = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonException e) {
            throw new DatasetFileException(source, "not valid JSON: " + e.getMessage());
        } catch (CharacterCodingException e) {
            throw new DatasetFileException(source, "not UTF-8 text, so not a TREC split in JSON");
        }
        List<String> texts = new ArrayList<>();
        long[] labels = new long[root.size()];
        for (int i = 0; i < root.size(); i++) {
            Object value = root.get(Integer.toString(i));
            if (!(value instanceof Map<?, ?> record)) {
                throw new DatasetFileException(source, value == null ? "has " + root.size() + " records but none keyed \""
                        + i + "\" (records must be keyed \"0\" to \"" + (root.size() - 1) + "\")"
                        : "record \"" + i + "\" must be an object but is " + value);
            }
            if (!(record.get("label") instanceof Long label) || label < 0 || label >= CLASSES) {
                throw new DatasetFileException(source, "record \"" + i + "\": label must be an integer in [0, " + CLASSES
                        + ") but is " + record.get("label"));
            }
            if (!(record.get("data") instanceof Map<?, ?> data) || !(data.get("text") instanceof String text)
                    || text.isBlank()) {
                throw new DatasetFileException(source, "record \"" + i + "\": data.text must be a non-empty string but is "
                        + (record.get("data") instanceof Map<?, ?> d ? d.get("text") : "missing"));
            }
            labels[i] = label;
            texts.add(text);
        }
        return new TextExamples(texts, Tensor.of(labels, labels.length), CLASSES);
    }
}
