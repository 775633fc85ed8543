package dev.hyperkron.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command line run in a JVM of its own, for what an in-process run cannot show: JVM system
 * properties read once per process, signals, and what the process leaves behind.
 */
record CliProcess(int code, String out, String err) {

    /** Runs {@code hyperkron args...} in a new JVM with extra JVM options, in {@code workDir}. */
    static CliProcess run(Path workDir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Process p = start(workDir, jvmOptions, args);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hyperkron " + String.join(" ", args) + " did not end within 120 s");
        }
        return new CliProcess(p.exitValue(), Files.readString(workDir.resolve("stdout.txt"), StandardCharsets.UTF_8),
                Files.readString(workDir.resolve("stderr.txt"), StandardCharsets.UTF_8));
    }

    /** Starts {@code hyperkron args...} in a new JVM (output and error to files in {@code workDir}). */
    static Process start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-Djava.awt.headless=true");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(HyperkronCli.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("stdout.txt").toFile())
                .redirectError(workDir.resolve("stderr.txt").toFile()).start();
    }
}
