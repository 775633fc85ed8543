package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.ModelSpec;
import dev.hyperkron.bench.experiments.figures.Contenders;
import dev.hyperkron.bench.experiments.figures.CurveCharts;
import dev.hyperkron.bench.experiments.figures.FigureCase;
import dev.hyperkron.bench.experiments.figures.FigureRun;
import dev.hyperkron.bench.experiments.figures.FigureScale;
import dev.hyperkron.bench.options.Checks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The paper's Figure 2 on data hypercleaning: left, existing IFT-based algorithms with their own
 * IHVP against the same algorithm with the KFAC one; right, the KFAC-based methods against the
 * algorithms that avoid second derivatives (BOME, F2SA, SAMA), one-step unrolling and ITD.
 */
@Command(name = "figure2", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The paper's Figure 2: data hypercleaning with an MLP (Fashion-MNIST when installed, else the "
                + "embedded digits). Panel 'ift': each IFT-based algorithm with its own IHVP (AID-CG, stocBiO = "
                + "aid-neumann, SOBA, AmIGO) against its KFAC variant (aid-kfac, soba-kfac, amigo-kfac). Panel "
                + "'baselines': the KFAC-based methods against BOME, F2SA, SAMA, one-step unrolling and ITD. Test loss "
                + "against time and outer steps, truncated at each curve's lowest point, with lines for training on "
                + "the validation set alone and on validation + noisy set. Writes a table, results.csv/json, "
                + "history.csv and PNG+SVG plots; about 10 minutes by default, --full for the paper's sizes. Exits 0 "
                + "when a method diverges (the table says so)."})
public final class Figure2Command extends FigureCommand {
    static final Set<String> IFT = Set.of("aid-cg", "aid-neumann", "aid-kfac", "soba", "soba-kfac", "amigo", "amigo-kfac");
    static final Set<String> BASELINES = Set.of("aid-kfac", "soba-kfac", "amigo-kfac", "bome", "f2sa", "sama",
            "one-step", "itd");

    @Option(names = "--data", description = "auto (fashion when installed, else digits), digits, fashion, idx:DIR or "
            + "cifar:DIR (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
    String data;

    @Option(names = "--hidden", split = ",", description = "Hidden sizes of the MLP (default: ${DEFAULT-VALUE}).",
            defaultValue = "256")
    int[] hidden;

    @Option(names = "--batch-size", description = "Training and validation batch size (default: ${DEFAULT-VALUE}).",
            defaultValue = "128")
    int batchSize;

    @Option(names = "--method", split = ",", description = "Contenders: " + Contenders.NAMES + " (default: "
            + "${DEFAULT-VALUE}).", defaultValue = "aid-kfac,aid-cg,aid-neumann,soba,soba-kfac,amigo,amigo-kfac,"
            + "bome,f2sa,sama,one-step,itd,valid-only,valid+noisy")
    List<String> methods;

    @Override
    List<String> methodNames() {
        return methods;
    }

    @Override
    void validate() {
        checkHidden(hidden);
        Checks.atLeast("--batch-size", batchSize, 1);
    }

    @Override
    Plan plan(List<String> contenders) {
        String dataSet = dataOrFallback(data);
        FigureScale scale = scaleFor(dataSet);
        String label = ModelSpec.describe("mlp", hidden) + " on " + dataSet;
        FigureCase figureCase = new FigureCase(label, setup(dataSet, "mlp", hidden, batchSize, scale), load(dataSet),
                contenders);
        return new Plan(List.of(figureCase), scale, String.format(java.util.Locale.ROOT, "Figure 2: data hypercleaning "
                + "of %s, %d noisy training examples (%.0f%% of labels flipped), %d validation, batch %d, T = %d "
                + "inner steps.", label, scale.trainSize(), 100 * scale.noise(), scale.validationSize(), batchSize,
                scale.innerSteps()));
    }

    @Override
    List<Path> plots(Path dir, List<FigureRun> runs) throws IOException {
        List<CurveCharts.Panel> panels = new ArrayList<>(List.of(
                new CurveCharts.Panel("ift", "IFT-based algorithms, native IHVP vs KFAC", IFT),
                new CurveCharts.Panel("baselines", "KFAC-based vs first-order and unrolling baselines", BASELINES)));
        Set<String> others = new TreeSet<>();
        runs.stream().filter(r -> !r.reference()).map(FigureRun::contender)
                .filter(c -> !IFT.contains(c) && !BASELINES.contains(c))
                .forEach(others::add);
        if (!others.isEmpty()) {
            others.add("aid-kfac");
            panels.add(new CurveCharts.Panel("other", "AID-KFAC and the other contenders", others));
        }
        return CurveCharts.write(dir, name(), runs, panels);
    }
}
