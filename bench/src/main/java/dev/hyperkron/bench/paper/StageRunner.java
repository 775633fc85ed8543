package dev.hyperkron.bench.paper;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperkron.bench.HyperkronCli;
import dev.hyperkron.bench.experiments.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the stages of a paper run, each in its own folder, with what the command prints going to
 * {@code output.txt} there. A stage is skipped when its {@code stage.json} says it already ran
 * with the same arguments; a resumable one that was interrupted (or failed) continues with
 * {@code --resume}, which keeps what its earlier attempt finished;
 * a folder left by other arguments is moved aside (never deleted) before the stage runs again.
 */
public final class StageRunner {
    static final String RECORD = "stage.json";
    static final String LOG = "output.txt";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path out;
    private final PrintWriter console;

    public StageRunner(Path out, PrintWriter console) {
        this.out = out;
        this.console = console;
    }

    /** The record of a stage that already completed with these arguments, if any. */
    public Optional<StageRecord> completed(Stage stage) {
        return record(out.resolve(stage.id())).filter(r -> r.completes(stage));
    }

    /** The record of the stage's last run with these arguments, completed or not, if any. */
    public Optional<StageRecord> last(Stage stage) {
        return record(out.resolve(stage.id())).filter(r -> r.id().equals(stage.id()) && r.args().equals(stage.args()));
    }

    /** Runs the stage (unless {@link #completed}) and returns its record. */
    public StageRecord run(Stage stage) {
        Optional<StageRecord> done = completed(stage);
        if (done.isPresent()) {
            return done.get();
        }
        Path dir = out.resolve(stage.id());
        boolean resume = false;
        try {
            Optional<StageRecord> previous = record(dir);
            if (previous.isPresent() && !previous.get().args().equals(stage.args())) {
                Path aside = out.resolve(stage.id() + ".previous-" + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                        .toString().replace(':', '-'));
                Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
                console.println("paper: " + stage.id() + " ran before with other arguments; its folder is now " + aside);
            } else {
                resume = stage.resumable() && Files.isDirectory(dir);
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
        List<String> args = new ArrayList<>(stage.args());
        args.addAll(List.of("--out", dir.toString()));
        if (resume) {
            args.add("--resume");
        }
        long start = System.nanoTime();
        int code;
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(dir.resolve(LOG), StandardCharsets.UTF_8), true)) {
            log.println("$ " + stage.commandLine(dir.toString()) + (resume ? " --resume" : ""));
            code = HyperkronCli.execute(log, log, args.toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(LOG) + ": " + e.getMessage(), e);
        }
        StageRecord record = new StageRecord(stage.id(), stage.args(), code, (System.nanoTime() - start) / 1e9,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        write(dir, record);
        return record;
    }

    private static Optional<StageRecord> record(Path dir) {
        Path file = dir.resolve(RECORD);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StageRecord.class));
        } catch (IOException e) {
            throw new UserError("cannot read " + file + " (" + e.getMessage() + "): delete it to run that stage again");
        }
    }

    private static void write(Path dir, StageRecord record) {
        Path tmp = dir.resolve(RECORD + ".tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), record);
            Files.move(tmp, dir.resolve(RECORD), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(RECORD) + ": " + e.getMessage(), e);
        }
    }
}
