package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.figures.Contenders;
import dev.hyperkron.bench.experiments.figures.CurveCharts;
import dev.hyperkron.bench.experiments.figures.FigureCase;
import dev.hyperkron.bench.experiments.figures.FigureRun;
import dev.hyperkron.bench.experiments.figures.FigureScale;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The paper's Figure 5: data hypercleaning beyond the MLP, a CNN on CIFAR-10 and a linear model
 * on MNIST, each on the set the user has, falling back to Fashion-MNIST and then to the digits.
 */
@Command(name = "figure5", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The paper's Figure 5: data hypercleaning with a CNN on CIFAR-10 (--cnn-data cifar:DIR with the "
                + "binary batches; otherwise the CNN runs on Fashion-MNIST, or on the embedded digits when that is not "
                + "installed) and with a linear model on MNIST (--linear-data idx:DIR with the IDX files; otherwise "
                + "Fashion-MNIST or the digits). Test loss against time and outer steps per model, truncated at each curve's lowest "
                + "point, with lines for training on the validation set alone and on validation + noisy set. Writes a "
                + "table, results.csv/json, history.csv and PNG+SVG plots; about 10 minutes by default, --full for the "
                + "paper's sizes."})
public final class Figure5Command extends FigureCommand {
    /** CIFAR-10 has 50000 training images: the paper-sized run leaves 5000 of them for validation. */
    static final int CIFAR_FULL_TRAIN = 45000;

    @Option(names = "--cnn-data", paramLabel = "SPEC", description = "Data of the CNN: cifar:DIR (CIFAR-10 binary "
            + "batches, the paper's choice), auto (Fashion-MNIST when installed, else digits), fashion, idx:DIR or "
            + "digits (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
    String cnnData;

    @Option(names = "--linear-data", paramLabel = "SPEC", description = "Data of the linear model: idx:DIR (MNIST "
            + "IDX files, the paper's choice), auto (Fashion-MNIST when installed, else digits), fashion, cifar:DIR or "
            + "digits (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
    String linearData;

    @Option(names = "--method", split = ",", description = "Contenders: " + Contenders.NAMES + " (default: "
            + "${DEFAULT-VALUE}).", defaultValue = "aid-kfac,aid-cg,aid-neumann,one-step,valid-only,valid+noisy")
    List<String> methods;

    @Override
    List<String> methodNames() {
        return methods;
    }

    @Override
    void validate() {
        // the folders are checked when they are read, with what they must contain
    }

    @Override
    Plan plan(List<String> contenders) {
        String cnnSet = cnnData.equals("auto") ? fallback("CIFAR-10 (--cnn-data cifar:DIR)", "CNN") : cnnData;
        String linearSet = linearData.equals("auto") ? fallback("MNIST (--linear-data idx:DIR)", "linear model")
                : linearData;
        FigureScale cnnScale = cnnSet.startsWith("cifar:") && options.full()
                ? scaleFor(cnnSet).withTrainSize(CIFAR_FULL_TRAIN) : scaleFor(cnnSet);
        FigureScale linearScale = scaleFor(linearSet);
        List<FigureCase> cases = new ArrayList<>();
        cases.add(new FigureCase("cnn on " + cnnSet, setup(cnnSet, "cnn", new int[0], 128, cnnScale), load(cnnSet),
                contenders));
        cases.add(new FigureCase("linear on " + linearSet, setup(linearSet, "linear", new int[0], 128, linearScale),
                load(linearSet), contenders));
        return new Plan(cases, cnnScale, String.format(java.util.Locale.ROOT, "Figure 5: data hypercleaning with a CNN "
                + "on %s (%d noisy training examples) and a linear model on %s (%d), %.0f%% of labels flipped, batch "
                + "128, T = %d inner steps.", cnnSet, cnnScale.trainSize(), linearSet, linearScale.trainSize(),
                100 * cnnScale.noise(), cnnScale.innerSteps()));
    }

    /** Fashion-MNIST, or the digits, in place of a set the user did not give; said on standard error. */
    private String fallback(String missing, String model) {
        String replacement = dataOrFallback("auto");
        options.run().err().println("hyperkron: no " + missing + " given: the " + model + " runs on " + replacement
                + " instead");
        return replacement;
    }

    @Override
    List<Path> plots(Path dir, List<FigureRun> runs) throws IOException {
        Set<String> all = Set.copyOf(methods.stream().map(String::trim).toList());
        return CurveCharts.write(dir, name(), runs, List.of(new CurveCharts.Panel("all", "hypergradient methods", all)));
    }
}
