package dev.hyperkron.bench.paper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the stages of a paper run left in its output folder, for the claims to read: each
 * completed stage's JSON results and plots, and for a stage without results, why.
 */
public final class PaperResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path out;
    private final Map<String, StageRecord> records;
    private final Map<String, String> skipped;

    /**
     * @param out     the paper's output folder
     * @param records the record of every stage that ran, by id
     * @param skipped the reason of every stage that could not run here, by id
     */
    public PaperResults(Path out, Map<String, StageRecord> records, Map<String, String> skipped) {
        this.out = out;
        this.records = Map.copyOf(records);
        this.skipped = Map.copyOf(skipped);
    }

    /** A completed stage's JSON file, if the stage completed and wrote it. */
    public Optional<JsonNode> json(String stage, String file) {
        StageRecord record = records.get(stage);
        Path path = out.resolve(stage).resolve(file);
        if (record == null || record.exitCode() != 0 || !Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(path.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Why a stage has no results: skipped here, not run, or failed (with where to look). */
    public String whyMissing(String stage) {
        if (skipped.containsKey(stage)) {
            return "skipped: " + skipped.get(stage);
        }
        StageRecord record = records.get(stage);
        if (record == null) {
            return "the stage " + stage + " was not run (see --only)";
        }
        if (record.exitCode() != 0) {
            return "the stage " + stage + " failed with exit code " + record.exitCode() + " (see " + stage + "/"
                    + StageRunner.LOG + ")";
        }
        return "the stage " + stage + " wrote no results";
    }

    /** The SVG plots of a stage whose file names match {@code regex}, as paths relative to the output folder. */
    public List<String> plots(String stage, String regex) {
        Path dir = out.resolve(stage);
        if (!Files.isDirectory(dir) || !records.containsKey(stage)) {
            return List.of();
        }
        Pattern pattern = Pattern.compile(regex);
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".svg"))
                    .filter(n -> pattern.matcher(n).matches()).sorted().map(n -> stage + "/" + n).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The paper's output folder. */
    public Path folder() {
        return out;
    }
}
