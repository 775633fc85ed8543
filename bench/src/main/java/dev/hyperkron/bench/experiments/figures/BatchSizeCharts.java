package dev.hyperkron.bench.experiments.figures;

import dev.hyperkron.bench.report.LineChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The paper's Figure 3 plots: per model, the lowest test loss each method reached and the time
 * it took to reach it, against the batch size (log scale), means over seeds.
 */
public final class BatchSizeCharts {

    /**
     * Where a case sits in the figure.
     *
     * @param model     the model's name, e.g. "mlp(256)"
     * @param batchSize its training and validation batch size
     */
    public record Placement(String model, int batchSize) {
    }

    private BatchSizeCharts() {
    }

    /**
     * Writes FIGURE-MODEL-min-loss-vs-batch and -time-to-min-vs-batch (SVG and PNG) into {@code dir};
     * {@code placements} maps each case label to its model and batch size. Returns the files.
     */
    public static List<Path> write(Path dir, String figure, List<FigureRun> runs, Map<String, Placement> placements)
            throws IOException {
        List<RunSummary> summaries = RunSummary.of(runs).stream().filter(s -> !s.reference()).toList();
        Set<String> models = new LinkedHashSet<>();
        placements.values().forEach(p -> models.add(p.model()));
        List<Path> files = new ArrayList<>();
        for (String model : models) {
            List<RunSummary> ofModel = summaries.stream()
                    .filter(s -> placements.get(s.caseLabel()).model().equals(model)).toList();
            String base = figure + "-" + model.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_$", "");
            files.addAll(chart(dir.resolve(base + "-min-loss-vs-batch"), figure + ", " + model
                    + ": lowest test loss reached", "lowest test loss", ofModel, placements, RunSummary::minimumTestLoss));
            files.addAll(chart(dir.resolve(base + "-time-to-min-vs-batch"), figure + ", " + model
                    + ": time to the lowest test loss", "seconds to the lowest test loss", ofModel, placements,
                    RunSummary::secondsToMinimum));
        }
        return files;
    }

    private static List<Path> chart(Path base, String title, String yLabel, List<RunSummary> summaries,
                                    Map<String, Placement> placements,
                                    Function<RunSummary, dev.hyperkron.bench.report.MeanSpread> value) throws IOException {
        LineChart chart = new LineChart(title, "batch size (log scale)", yLabel).logX(true);
        Set<String> methods = new LinkedHashSet<>();
        summaries.forEach(s -> methods.add(s.label()));
        for (String method : methods) {
            List<RunSummary> line = summaries.stream().filter(s -> s.label().equals(method))
                    .sorted(java.util.Comparator.comparingInt(s -> placements.get(s.caseLabel()).batchSize())).toList();
            chart.series(method, line.stream().mapToDouble(s -> placements.get(s.caseLabel()).batchSize()).toArray(),
                    line.stream().mapToDouble(s -> value.apply(s).mean()).toArray());
        }
        chart.save(base);
        return List.of(Path.of(base + ".svg"), Path.of(base + ".png"));
    }
}
