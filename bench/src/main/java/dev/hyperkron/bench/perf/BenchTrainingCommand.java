package dev.hyperkron.bench.perf;

import dev.hyperkron.bench.options.DeviceOption;
import dev.hyperkron.bench.report.Table;
import dev.hyperkron.core.Device;
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
 * Time of one training step (forward, backward, SGD update) of the MLP 784-256-10 and of LeNet on
 * 28x28 images, batch 128, F32. The same figures for PyTorch come from
 * bench/scripts/torch_training.py.
 */
@Command(name = "bench-training", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times one training step (forward, backward, plain SGD update) of the MLP 784-256-10 (ReLU) and "
                + "of LeNet (Models.lenet(1, 28, 28, 10)) on a random F32 batch of 128 with cross-entropy.",
                "Each figure is the median of --reps timed steps after a warm-up."})
public final class BenchTrainingCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    TimingOptions timing;

    @Option(names = "--seed", description = "Seed of the parameters and data (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        MedianTimer timer = timing.timer();
        Device where = device.resolve();
        List<TrainingWorkload> workloads = List.of(TrainingWorkload.mlp(seed, where), TrainingWorkload.lenet(seed, where));
        Figures figures = new Figures();
        int previousThreads = Parallel.threads();
        try {
            Parallel.setThreads(timing.threads.get(0));
            for (TrainingWorkload w : workloads) {
                timer.warmUp(w::step);
            }
            for (int threads : timing.threads) {
                Parallel.setThreads(threads);
                for (TrainingWorkload w : workloads) {
                    figures.add("train." + w.name(), threads, 1e3 * timer.medianSeconds(w::step), "ms");
                }
            }
        } finally {
            Parallel.setThreads(previousThreads);
        }
        if (timing.tsv) {
            figures.printTsv(out());
            return 0;
        }
        out().printf("One training step (forward, backward, SGD), batch %d, F32 on %s: median of %d steps, ms%n",
                TrainingWorkload.BATCH, where.name(), timing.reps);
        Table table = new Table("threads", "MLP 784-256-10", "LeNet 28x28");
        for (int t : timing.threads) {
            table.row(t, String.format(Locale.ROOT, "%.3f", figures.get("train.mlp", t)),
                    String.format(Locale.ROOT, "%.3f", figures.get("train.lenet", t)));
        }
        out().print(table);
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
