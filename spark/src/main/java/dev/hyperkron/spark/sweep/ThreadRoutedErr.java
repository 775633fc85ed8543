package dev.hyperkron.spark.sweep;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * System.err routed per thread: the app's progress bars and status lines write to System.err, and
 * Spark runs several tasks in one JVM, so each run's console output is sent to its own log while it
 * runs (threads it starts inherit the route) instead of interleaving on the executor's console.
 */
final class ThreadRoutedErr extends OutputStream {
    private static final InheritableThreadLocal<PrintWriter> ROUTE = new InheritableThreadLocal<>();
    private static ThreadRoutedErr installed;

    private final PrintStream original;

    /** A route's lifetime: closing it sends the thread's output back to the console. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private ThreadRoutedErr(PrintStream original) {
        this.original = original;
    }

    /** Sends this thread's System.err (and its new threads') to {@code log} until the returned scope closes. */
    static synchronized Scope routeTo(PrintWriter log) {
        if (installed == null) {
            installed = new ThreadRoutedErr(System.err);
            System.setErr(new PrintStream(installed, true, StandardCharsets.UTF_8));
        }
        ROUTE.set(log);
        return ROUTE::remove;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        PrintWriter log = ROUTE.get();
        if (log == null) {
            original.write(b, off, len);
        } else {
            log.write(new String(b, off, len, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void flush() {
        PrintWriter log = ROUTE.get();
        if (log == null) {
            original.flush();
        } else {
            log.flush();
        }
    }
}
