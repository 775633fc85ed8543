package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.DataSets;
import dev.hyperkron.bench.experiments.ModelSpec;
import dev.hyperkron.bench.experiments.figures.BatchSizeCharts;
import dev.hyperkron.bench.experiments.figures.Contenders;
import dev.hyperkron.bench.experiments.figures.FigureCase;
import dev.hyperkron.bench.experiments.figures.FigureRun;
import dev.hyperkron.bench.experiments.figures.FigureScale;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.Checks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The paper's Figure 3: how the batch size changes what KFAC and CG hypergradients reach, on a
 * linear model, an MLP and a CNN.
 */
@Command(name = "figure3", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The paper's Figure 3: data hypercleaning with batch sizes from 32 to 512 for AID-KFAC and "
                + "AID-CG on a linear model, an MLP and a CNN (Fashion-MNIST when installed, else the embedded digits): "
                + "the lowest test loss each reaches and the time it takes to reach it. Writes a table, "
                + "results.csv/json, history.csv and PNG+SVG plots per model; about 10 minutes by default (batch sizes "
                + "32, 128 and 512), --full for all five batch sizes at the paper's sizes."})
public final class Figure3Command extends FigureCommand {
    /** Seconds per run of the quick default: 18 runs fit in about 10 minutes with warm-ups and evaluations. */
    static final double QUICK_SECONDS = 20;

    @Option(names = "--data", description = "auto (fashion when installed, else digits), digits, fashion, idx:DIR or "
            + "cifar:DIR (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
    String data;

    @Option(names = "--models", split = ",", description = "Models: linear, mlp, cnn (default: ${DEFAULT-VALUE}).",
            defaultValue = "linear,mlp,cnn")
    List<String> models;

    @Option(names = "--hidden", split = ",", description = "Hidden sizes of the MLP (default: ${DEFAULT-VALUE}).",
            defaultValue = "256")
    int[] hidden;

    @Option(names = "--batch-sizes", split = ",", description = "Batch sizes (default: 32,128,512; with --full "
            + "32,64,128,256,512).")
    int[] batchSizes;

    @Option(names = "--method", split = ",", description = "Contenders: " + Contenders.NAMES + " (default: "
            + "${DEFAULT-VALUE}).", defaultValue = "aid-kfac,aid-cg")
    List<String> methods;

    private final Map<String, BatchSizeCharts.Placement> placements = new LinkedHashMap<>();

    @Override
    List<String> methodNames() {
        return methods;
    }

    @Override
    void validate() {
        checkHidden(hidden);
        if (batchSizes != null) {
            for (int b : batchSizes) {
                Checks.atLeast("--batch-sizes", b, 1);
            }
        }
        for (String m : models) {
            if (!List.of("linear", "mlp", "cnn").contains(m.trim())) {
                throw new UserError("unknown model '" + m.trim() + "' in --models: use linear, mlp and/or cnn");
            }
        }
    }

    @Override
    Plan plan(List<String> contenders) {
        String dataSet = dataOrFallback(data);
        FigureScale scale = scaleFor(dataSet, QUICK_SECONDS);
        int[] batches = batchSizes != null ? batchSizes
                : options.full() ? new int[] {32, 64, 128, 256, 512} : new int[] {32, 128, 512};
        DataSets.AsDistributed loaded = load(dataSet);
        List<FigureCase> cases = new ArrayList<>();
        for (String raw : models) {
            String model = raw.trim();
            for (int batch : batches) {
                String label = ModelSpec.describe(model, hidden) + ", batch " + batch;
                placements.put(label, new BatchSizeCharts.Placement(ModelSpec.describe(model, hidden), batch));
                cases.add(new FigureCase(label, setup(dataSet, model, hidden, batch, scale), loaded, contenders));
            }
        }
        return new Plan(cases, scale, String.format(java.util.Locale.ROOT, "Figure 3: data hypercleaning of %s with "
                + "models %s and batch sizes %s, %d noisy training examples (%.0f%% of labels flipped), %d validation, "
                + "T = %d inner steps.", dataSet, String.join(", ", models), java.util.Arrays.toString(batches),
                scale.trainSize(), 100 * scale.noise(), scale.validationSize(), scale.innerSteps()));
    }

    @Override
    List<Path> plots(Path dir, List<FigureRun> runs) throws IOException {
        return BatchSizeCharts.write(dir, name(), runs, placements);
    }
}
