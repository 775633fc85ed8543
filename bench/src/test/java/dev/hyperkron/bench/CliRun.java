package dev.hyperkron.bench;

import java.io.PrintWriter;
import java.io.StringWriter;

/** What one in-process run of the command line printed and returned, for tests of the commands. */
public record CliRun(int code, String out, String err) {

    /** Runs {@code hyperkron args...} with captured output and error writers. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HyperkronCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
