package dev.hyperkron.bench.perf;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measured figures of one benchmark run, printed as tab-separated lines that
 * bench/scripts/compare-torch.sh joins with the PyTorch side's (which prints the same format).
 */
final class Figures {
    /** One measured figure: its name, the thread count, the value and its unit. */
    record Figure(String name, int threads, double value, String unit) {
    }

    private final List<Figure> figures = new ArrayList<>();

    void add(String name, int threads, double value, String unit) {
        figures.add(new Figure(name, threads, value, unit));
    }

    /** The value of a figure measured earlier (an exception if there is none). */
    double get(String name, int threads) {
        for (Figure f : figures) {
            if (f.name().equals(name) && f.threads() == threads) {
                return f.value();
            }
        }
        throw new IllegalStateException("no figure '" + name + "' at " + threads + " threads");
    }

    void printTsv(PrintWriter out) {
        for (Figure f : figures) {
            out.printf(Locale.ROOT, "%s\t%d\t%.6g\t%s%n", f.name(), f.threads(), f.value(), f.unit());
        }
    }
}
