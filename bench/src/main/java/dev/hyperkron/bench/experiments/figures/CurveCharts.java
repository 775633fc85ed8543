package dev.hyperkron.bench.experiments.figures;

import dev.hyperkron.bench.report.LineChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The paper's curve plots: for every case and panel, test loss against wall-clock time and
 * against outer steps, each contender's mean curve over seeds truncated at its lowest test loss
 * (as the paper draws them), and the reference trainings as horizontal lines at their lowest
 * test loss.
 */
public final class CurveCharts {

    /**
     * One panel: the contenders it compares.
     *
     * @param name       the panel in file names, e.g. "ift"
     * @param title      the panel in chart titles
     * @param contenders contenders by command-line name; those that did not run are left out
     */
    public record Panel(String name, String title, Set<String> contenders) {
        public Panel {
            contenders = Set.copyOf(contenders);
        }
    }

    private CurveCharts() {
    }

    /** Writes FIGURE-CASE-PANEL-vs-time and -vs-steps (SVG and PNG) into {@code dir}; returns the files. */
    public static List<Path> write(Path dir, String figure, List<FigureRun> runs, List<Panel> panels) throws IOException {
        List<RunSummary> summaries = RunSummary.of(runs);
        Set<String> cases = new LinkedHashSet<>();
        summaries.forEach(s -> cases.add(s.caseLabel()));
        List<Path> files = new ArrayList<>();
        for (String caseLabel : cases) {
            List<RunSummary> ofCase = summaries.stream().filter(s -> s.caseLabel().equals(caseLabel)).toList();
            List<RunSummary> references = ofCase.stream().filter(RunSummary::reference).toList();
            for (Panel panel : panels) {
                List<RunSummary> drawn = ofCase.stream()
                        .filter(s -> !s.reference() && panel.contenders().contains(s.first().contender())).toList();
                if (drawn.isEmpty()) {
                    continue;
                }
                String base = figure + "-" + slug(caseLabel) + (panels.size() > 1 ? "-" + panel.name() : "");
                files.addAll(chart(dir.resolve(base + "-vs-time"), figure + ", " + caseLabel + ": " + panel.title(),
                        "wall-clock seconds", EvaluatedCurve.Point::seconds, drawn, references));
                files.addAll(chart(dir.resolve(base + "-vs-steps"), figure + ", " + caseLabel + ": " + panel.title(),
                        "outer steps", EvaluatedCurve.Point::step, drawn, references));
            }
        }
        return files;
    }

    private static List<Path> chart(Path base, String title, String xLabel, ToDoubleFunction<EvaluatedCurve.Point> x,
                                    List<RunSummary> drawn, List<RunSummary> references) throws IOException {
        LineChart chart = new LineChart(title, xLabel, "test loss (mean over seeds; each curve ends at its lowest)");
        double right = 0;
        for (RunSummary s : drawn) {
            EvaluatedCurve curve = s.meanCurve().truncatedAtMinimum();
            double[] xs = curve.column(x);
            chart.series(s.label(), xs, curve.column(EvaluatedCurve.Point::testLoss));
            for (double v : xs) {
                right = Math.max(right, v);
            }
        }
        for (RunSummary r : references) {
            double level = r.minimumTestLoss().mean();
            chart.series(r.label() + " (lowest)", new double[] {0, right}, new double[] {level, level});
        }
        chart.save(base);
        return List.of(Path.of(base + ".svg"), Path.of(base + ".png"));
    }

    private static String slug(String name) {
        return name.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", "");
    }
}
