package dev.hyperkron.bench.perf;

import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bench.options.SeedOption;
import dev.hyperkron.bench.options.DeviceOption;
import dev.hyperkron.bench.report.Table;
import dev.hyperkron.core.kernels.Parallel;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Autodiff cost on an MLP 784-256-10 (ReLU, cross-entropy, batch 128, F32): forward, gradient and
 * Hessian-vector product (double backward), and the fixed cost of recording one op. The same
 * figures for PyTorch come from bench/scripts/torch_autodiff.py.
 */
@Command(name = "bench-autodiff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times forward, forward+backward (gradient w.r.t. the parameters) and the Hessian-vector "
                + "product (double backward) of an MLP 784-256-10 with ReLU and cross-entropy on a random F32 batch "
                + "of 128, and the per-op cost of graph recording on a chain of adds of one-element tensors.",
                "Each figure is the median of --reps timed runs after a warm-up."})
public final class BenchAutodiffCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    TimingOptions timing;

    @Option(names = "--chain", description = "Length of the chain of adds for the per-op overhead (default: ${DEFAULT-VALUE}).",
            defaultValue = "10000")
    int chain;

    @Mixin
    SeedOption seed;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        MedianTimer timer = timing.timer();
        Checks.atLeast("--chain", chain, 1);
        MlpWorkload mlp = new MlpWorkload(seed.seed(), device.resolve());
        GraphOverhead overhead = new GraphOverhead(chain);
        Figures figures = new Figures();
        int previousThreads = Parallel.threads();
        try {
            Parallel.setThreads(timing.threads.get(0));
            for (Runnable work : List.<Runnable>of(mlp::loss, mlp::gradient, mlp::hvp, overhead::recordedChainAndBackward)) {
                timer.warmUp(work);
            }
            for (int threads : timing.threads) {
                Parallel.setThreads(threads);
                figures.add("mlp.forward", threads, 1e3 * timer.medianSeconds(mlp::loss), "ms");
                figures.add("mlp.forward_nograd", threads, 1e3 * timer.medianSeconds(mlp::lossNoGrad), "ms");
                figures.add("mlp.gradient", threads, 1e3 * timer.medianSeconds(mlp::gradient), "ms");
                figures.add("mlp.hvp", threads, 1e3 * timer.medianSeconds(mlp::hvp), "ms");
                double perOp = 1e9 / overhead.length();
                double record = timer.medianSeconds(overhead::recordedChain) * perOp;
                double both = timer.medianSeconds(overhead::recordedChainAndBackward) * perOp;
                figures.add("add1.record", threads, record, "ns/op");
                figures.add("add1.nograd", threads, timer.medianSeconds(overhead::unrecordedChain) * perOp, "ns/op");
                figures.add("add1.backward", threads, both - record, "ns/op");
            }
        } finally {
            Parallel.setThreads(previousThreads);
        }
        if (timing.tsv) {
            figures.printTsv(out());
        } else {
            printTables(figures);
        }
        return 0;
    }

    private void printTables(Figures figures) {
        out().printf("MLP %d-%d-%d, ReLU, cross-entropy, batch %d, F32 on %s: median of %d runs, ms%n",
                MlpWorkload.IN, MlpWorkload.HIDDEN, MlpWorkload.CLASSES, MlpWorkload.BATCH, device.resolve().name(),
                timing.reps);
        Table mlp = new Table("threads", "forward", "forward (no grad)", "gradient", "HVP", "HVP / gradient");
        for (int t : timing.threads) {
            double gradient = figures.get("mlp.gradient", t);
            double hvp = figures.get("mlp.hvp", t);
            mlp.row(t, ms(figures.get("mlp.forward", t)), ms(figures.get("mlp.forward_nograd", t)), ms(gradient), ms(hvp),
                    String.format(Locale.ROOT, "%.2f", hvp / gradient));
        }
        out().print(mlp);
        out().println();
        out().printf("Graph overhead: a chain of %d adds of one-element tensors, ns per op%n", chain);
        Table ops = new Table("threads", "recording", "no grad", "backward");
        for (int t : timing.threads) {
            ops.row(t, ns(figures.get("add1.record", t)), ns(figures.get("add1.nograd", t)), ns(figures.get("add1.backward", t)));
        }
        out().print(ops);
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String ns(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
