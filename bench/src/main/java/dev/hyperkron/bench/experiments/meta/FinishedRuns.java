package dev.hyperkron.bench.experiments.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperkron.bench.experiments.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The meta-learning runs that finished, one file each ({@code OUT/runs/METHOD/seed-N.json}) with
 * the settings they ran under, so that an interrupted {@code meta-learn} resumes without redoing
 * them: a run is deterministic by its seed, so a finished one read back is the run. A file
 * written under other settings is refused rather than mixed into the results.
 */
public final class FinishedRuns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final JsonNode settings;
    private final String settingsJson;

    /** A run as stored: the settings and the run's record. */
    record Stored(Map<String, Object> settings, String method, long seed, List<MetaLearningExperiment.Point> curve,
                  int steps, double seconds, String failure) {
    }

    /**
     * @param dir      the folder of the run files (created when the first run is saved)
     * @param settings what the runs' results depend on (not the number of seeds or threads)
     */
    public FinishedRuns(Path dir, Map<String, Object> settings) {
        this.dir = dir;
        this.settings = JSON.valueToTree(settings);
        this.settingsJson = this.settings.toString();
    }

    /** The finished run of a method and seed, if one was saved under these settings. */
    public Optional<MetaLearningExperiment.MethodRun> find(String method, long seed) {
        Path file = file(method, seed);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Stored s;
        try {
            s = JSON.readValue(file.toFile(), Stored.class);
        } catch (IOException e) {
            throw new UserError("cannot read the finished run " + file + " (" + e.getMessage() + "): delete it to run it "
                    + "again");
        }
        // compared as JSON text: a number read back may come as another numeric node type
        if (!JSON.valueToTree(s.settings()).toString().equals(settingsJson)) {
            throw new UserError("cannot resume from " + file + ": it ran with other settings (" + s.settings()
                    + "); use the same options, or another --out");
        }
        return Optional.of(new MetaLearningExperiment.MethodRun(s.method(), s.seed(), s.curve(), s.steps(), s.seconds(),
                Optional.ofNullable(s.failure())));
    }

    /** Saves a finished run (atomically: a crash leaves the old file or the new one, never half of one). */
    public void save(MetaLearningExperiment.MethodRun run) {
        Path file = file(run.method(), run.seed());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(tmp.toFile(), new Stored(JSON.convertValue(settings, Map.class), run.method(), run.seed(),
                    run.curve(), run.steps(), run.seconds(), run.failure().orElse(null)));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private Path file(String method, long seed) {
        return dir.resolve(method.replaceAll("[^A-Za-z0-9.+-]+", "_")).resolve("seed-" + seed + ".json");
    }
}
