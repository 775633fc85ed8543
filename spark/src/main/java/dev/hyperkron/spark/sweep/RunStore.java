package dev.hyperkron.spark.sweep;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The finished runs of a sweep, one folder per configuration under OUT/runs: a run writes into a
 * private attempt folder and is published by one atomic rename once its results are complete, so a
 * folder under runs/ is always a whole result. A failed or killed attempt leaves only its attempt
 * folder under OUT/attempts, with its log (never deleted by a sweep: a task of an earlier, failed
 * sweep may still be writing into its own), a finished run is never overwritten, and a re-run
 * skips it.
 * The folder must be shared by every executor (a local disk in local mode, a shared file system on
 * a cluster).
 */
public final class RunStore implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The file a finished run's command writes that the sweep gathers. */
    public static final String RESULTS = "results.csv";
    /** Written last into a finished run: the outcome line "exitCode seconds". */
    static final String DONE = "sweep-run.txt";

    private final String root;

    public RunStore(Path root) {
        this.root = root.toAbsolutePath().toString();
    }

    /** OUT/runs/ID: the published folder of a configuration. */
    public Path folder(String id) {
        return Path.of(root, "runs", id);
    }

    /** The finished outcome of a configuration, if it was published. */
    public Optional<Outcome> finished(String id) {
        Path done = folder(id).resolve(DONE);
        if (!Files.isRegularFile(done)) {
            return Optional.empty();
        }
        try {
            String[] parts = Files.readString(done, StandardCharsets.UTF_8).trim().split(" ");
            return Optional.of(new Outcome(id, Integer.parseInt(parts[0]), Double.parseDouble(parts[1]), true));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + done + " (" + e.getMessage() + "): remove "
                    + folder(id) + " to run that configuration again", e);
        }
    }

    /**
     * Runs a configuration unless it is finished: into a fresh attempt folder, with the command's
     * output in its log.txt, then publishes it. A run without results.csv fails (Spark retries it),
     * naming the log.
     */
    public Outcome runOnce(Configuration c, ConfigurationRunner runner) {
        Optional<Outcome> finished = finished(c.id());
        if (finished.isPresent()) {
            return finished.get();
        }
        Path attempt = Path.of(root, "attempts", c.id() + "-" + UUID.randomUUID());
        long start = System.nanoTime();
        int exitCode;
        try {
            Files.createDirectories(attempt);
            try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(attempt.resolve("log.txt"),
                    StandardCharsets.UTF_8), true)) {
                log.println("hyperkron " + String.join(" ", c.commandLine(attempt.toString())));
                exitCode = runner.run(c, attempt, log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sweep run " + c.id() + ": " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        if (!Files.isRegularFile(attempt.resolve(RESULTS))) {
            throw new IllegalStateException("sweep run " + c.id() + " exited with code " + exitCode + " without writing "
                    + RESULTS + "; its output is in " + attempt.resolve("log.txt"));
        }
        try {
            Files.writeString(attempt.resolve(DONE), String.format(Locale.ROOT, "%d %.3f%n", exitCode, seconds));
            publish(attempt, folder(c.id()));
        } catch (IOException e) {
            throw new UncheckedIOException("sweep run " + c.id() + ": cannot publish " + attempt + ": " + e.getMessage(), e);
        }
        return new Outcome(c.id(), exitCode, seconds, false);
    }

    /** Renames the attempt into place; if another attempt (a speculative copy) got there first, keeps that one. */
    private static void publish(Path attempt, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.move(attempt, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + target.getParent() + " cannot rename atomically; use a "
                    + "local or POSIX shared folder for --out", e);
        } catch (IOException e) {
            if (!Files.isRegularFile(target.resolve(DONE))) {
                throw e;
            }
            deleteTree(attempt);
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
