package dev.hyperkron.bench.experiments.text;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.nn.text.BertCheckpoint;
import dev.hyperkron.nn.text.Trec;
import dev.hyperkron.nn.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What text data hypercleaning reads before it computes anything: TREC (questions, gold and
 * noisy labels), a WordPiece tokenizer and a pretrained BERT-family checkpoint; by default the
 * all-MiniLM-L6-v2 model and tokenizer that the app's runtime dependency carries.
 */
public record TextCleaningInputs(Trec trec, WordPieceTokenizer tokenizer, BertCheckpoint checkpoint, String modelName) {
    /** The files a TREC folder must hold. */
    static final List<String> TREC_FILES = List.of("train.json", "valid.json", "test.json", "hard_labels.npy");

    /**
     * Reads TREC from {@code dataDir}, then the checkpoint (.onnx or .safetensors) and tokenizer
     * files, or the bundled all-MiniLM-L6-v2 when both are null. The data is checked first, so a
     * missing folder is reported before seconds go into reading a model.
     */
    public static TextCleaningInputs read(Path dataDir, Path checkpointFile, Path tokenizerFile) {
        if ((checkpointFile == null) != (tokenizerFile == null)) {
            throw new UserError("give --checkpoint and --tokenizer together (a model needs its own vocabulary), or "
                    + "neither for the bundled all-MiniLM-L6-v2");
        }
        List<String> missing = TREC_FILES.stream().filter(f -> !Files.isRegularFile(dataDir.resolve(f))).toList();
        if (!missing.isEmpty()) {
            throw new UserError("TREC was not found at " + dataDir.toAbsolutePath().normalize() + " (missing "
                    + String.join(", ", missing) + "): give --data DIR, a folder with " + String.join(", ", TREC_FILES)
                    + " in the WRENCH layout");
        }
        try {
            Trec trec = Trec.load(dataDir);
            if (checkpointFile == null) {
                return new TextCleaningInputs(trec, WordPieceTokenizer.fromResource(BertCheckpoint.MINILM_TOKENIZER_RESOURCE),
                        BertCheckpoint.readOnnxResource(BertCheckpoint.MINILM_ONNX_RESOURCE), "all-MiniLM-L6-v2");
            }
            WordPieceTokenizer tokenizer = WordPieceTokenizer.read(existing(tokenizerFile, "--tokenizer"));
            String name = existing(checkpointFile, "--checkpoint").getFileName().toString();
            String lower = name.toLowerCase(Locale.ROOT);
            BertCheckpoint checkpoint;
            if (lower.endsWith(".onnx")) {
                checkpoint = BertCheckpoint.readOnnx(checkpointFile);
            } else if (lower.endsWith(".safetensors")) {
                checkpoint = BertCheckpoint.readSafetensors(checkpointFile);
            } else {
                throw new UserError("--checkpoint must be an .onnx or .safetensors file, got " + checkpointFile);
            }
            return new TextCleaningInputs(trec, tokenizer, checkpoint, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static Path existing(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(option + ": no such file " + file.toAbsolutePath());
        }
        return file;
    }
}
