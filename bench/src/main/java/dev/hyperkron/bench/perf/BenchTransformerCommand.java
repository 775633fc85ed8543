package dev.hyperkron.bench.perf;

import dev.hyperkron.bench.options.SeedOption;
import dev.hyperkron.bench.options.DeviceOption;
import dev.hyperkron.bench.report.Table;
import dev.hyperkron.core.kernels.Parallel;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Cost of the BERT encoder (the all-MiniLM-L6-v2 architecture) in inference, recorded forward
 * and forward+backward; bench/scripts/torch_transformer.py times the same model in PyTorch.
 */
@Command(name = "bench-transformer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times the 6-layer BERT encoder of all-MiniLM-L6-v2 (hidden 384, 12 heads, FFN 1536) with a "
                + "[CLS] classification head and cross-entropy on a random F32 token batch: forward without "
                + "recording, forward with the graph recorded, and forward+backward (the gradient with respect to "
                + "all 22.7M parameters).",
                "Each figure is the median of --reps timed runs after a warm-up."})
public final class BenchTransformerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    TimingOptions timing;

    @Option(names = "--batch", description = "Sequences per batch (default: ${DEFAULT-VALUE}).", defaultValue = "32")
    int batch;

    @Option(names = "--length", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).", defaultValue = "48")
    int length;

    @Mixin
    SeedOption seed;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        if (batch < 1 || length < 1 || length > TransformerWorkload.CONFIG.maxPositions()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch must be >= 1 and --length in 1.."
                    + TransformerWorkload.CONFIG.maxPositions() + ", got " + batch + " and " + length);
        }
        MedianTimer timer = timing.timer();
        TransformerWorkload bert = new TransformerWorkload(seed.seed(), batch, length, device.resolve());
        Figures figures = new Figures();
        int previousThreads = Parallel.threads();
        try {
            Parallel.setThreads(timing.threads.get(0));
            for (Runnable work : List.<Runnable>of(bert::lossNoGrad, bert::loss, bert::gradient)) {
                timer.warmUp(work);
            }
            for (int threads : timing.threads) {
                Parallel.setThreads(threads);
                figures.add("bert.forward_nograd", threads, 1e3 * timer.medianSeconds(bert::lossNoGrad), "ms");
                figures.add("bert.forward", threads, 1e3 * timer.medianSeconds(bert::loss), "ms");
                figures.add("bert.gradient", threads, 1e3 * timer.medianSeconds(bert::gradient), "ms");
            }
        } finally {
            Parallel.setThreads(previousThreads);
        }
        if (timing.tsv) {
            figures.printTsv(out());
            return 0;
        }
        out().printf("BERT 6 x 384 (12 heads, FFN 1536), batch %d x %d tokens, F32 on %s: median of %d runs, ms%n",
                batch, length, device.resolve().name(), timing.reps);
        Table table = new Table("threads", "forward (no grad)", "forward", "forward+backward");
        for (int t : timing.threads) {
            table.row(t, ms(figures.get("bert.forward_nograd", t)), ms(figures.get("bert.forward", t)),
                    ms(figures.get("bert.gradient", t)));
        }
        out().print(table);
        return 0;
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
