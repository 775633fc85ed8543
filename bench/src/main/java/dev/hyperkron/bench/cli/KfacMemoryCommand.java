package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.experiments.KfacMemory;
import dev.hyperkron.bench.report.Table;
import dev.hyperkron.core.Shape;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.models.Models;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Memory of KFAC, its inverses and EKFAC against the parameter count, for the models of the benchmarks and the trade-off. */
@Command(name = "kfac-memory", mixinStandardHelpOptions = true,
        description = {"Values held by KFAC factors (KfacOperator), their inverses (heuristic and exact damping) and EKFAC, "
                + "against the parameter count n and a dense Hessian (n^2), for the MLP 784-256-10, LeNet on 28x28 and "
                + "8x8 images, and the trade-off's MLP 64-32-10. Factors come from one batch of random inputs."})
public final class KfacMemoryCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--batch", description = "Examples in the batch the factors are computed from (default: ${DEFAULT-VALUE}).",
            defaultValue = "128")
    int batch;

    @Override
    public Integer call() {
        if (batch < 1) {
            throw new UserError("--batch must be positive, got " + batch);
        }
        List<KfacMemory> rows = new ArrayList<>();
        rows.add(KfacMemory.of("mlp 784-256-10", Models.mlp(784, new int[] {256}, 10, Activation.relu()), Shape.of(784), 10,
                batch, 1));
        rows.add(KfacMemory.of("lenet 1x28x28", Models.lenet(1, 28, 28, 10), Shape.of(1, 28, 28), 10, batch, 1));
        rows.add(KfacMemory.of("lenet 1x8x8", Models.lenet(1, 8, 8, 10), Shape.of(1, 8, 8), 10, batch, 1));
        rows.add(KfacMemory.of("mlp 64-32-10", Models.mlp(64, new int[] {32}, 10, Activation.relu()), Shape.of(64), 10,
                batch, 1));
        Table t = new Table("model", "params n", "KFAC A,G", "inverse heur.", "inverse exact", "EKFAC", "EKFAC inv.",
                "dense H n^2", "KFAC / n", "KFAC F32 MB");
        for (KfacMemory m : rows) {
            t.row(m.model(), m.parameters(), m.factors(), m.heuristic(), m.exact(), m.ekfac(), m.ekfacInverse(),
                    String.format(Locale.ROOT, "%.3g", (double) m.parameters() * m.parameters()),
                    String.format(Locale.ROOT, "%.2f", (double) m.factors() / m.parameters()),
                    String.format(Locale.ROOT, "%.2f", 4.0 * m.factors() / (1 << 20)));
        }
        out().printf("Stored values (floats) of KFAC-type curvature; factors from a batch of %d random examples.%n", batch);
        out().print(t);
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
