package dev.hyperkron.bench.experiments.figures;

import dev.hyperkron.bench.report.MeanSpread;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The runs of one contender in one case, summarized over seeds the way the paper reads its
 * curves: the lowest test loss reached, and when (in seconds and outer steps) it was reached.
 *
 * @param runs the runs, one per seed, all of the same case and contender
 */
public record RunSummary(List<FigureRun> runs) {

    public RunSummary {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a summary needs at least one run");
        }
        runs = List.copyOf(runs);
    }

    /** Runs grouped by case and contender, in the order they first ran. */
    public static List<RunSummary> of(List<FigureRun> runs) {
        Map<String, List<FigureRun>> groups = new LinkedHashMap<>();
        for (FigureRun r : runs) {
            groups.computeIfAbsent(r.caseLabel() + "\u0000" + r.label(), key -> new ArrayList<>()).add(r);
        }
        return groups.values().stream().map(RunSummary::new).toList();
    }

    public FigureRun first() {
        return runs.get(0);
    }

    public String caseLabel() {
        return first().caseLabel();
    }

    public String label() {
        return first().label();
    }

    public boolean reference() {
        return first().reference();
    }

    /** Runs that diverged (their minimum is taken over the evaluations before they did). */
    public long diverged() {
        return runs.stream().filter(FigureRun::diverged).count();
    }

    public MeanSpread steps() {
        return over(r -> r.record().steps());
    }

    public MeanSpread minimumTestLoss() {
        return atMinimum(EvaluatedCurve.Point::testLoss);
    }

    public MeanSpread secondsToMinimum() {
        return atMinimum(EvaluatedCurve.Point::seconds);
    }

    public MeanSpread stepsToMinimum() {
        return atMinimum(EvaluatedCurve.Point::step);
    }

    public MeanSpread accuracyAtMinimum() {
        return atMinimum(EvaluatedCurve.Point::testAccuracy);
    }

    public MeanSpread f1AtMinimum() {
        return atMinimum(EvaluatedCurve.Point::f1);
    }

    public MeanSpread hypergradientMillis() {
        return over(r -> 1000 * r.record().meanHypergradientSeconds());
    }

    /** The mean curve over seeds (see {@link EvaluatedCurve#mean}). */
    public EvaluatedCurve meanCurve() {
        return EvaluatedCurve.mean(runs.stream().map(FigureRun::curve).toList());
    }

    private MeanSpread atMinimum(ToDoubleFunction<EvaluatedCurve.Point> value) {
        return over(r -> {
            EvaluatedCurve curve = r.curve();
            return curve.isEmpty() ? Double.NaN : value.applyAsDouble(curve.minimum());
        });
    }

    private MeanSpread over(ToDoubleFunction<FigureRun> value) {
        return MeanSpread.of(runs.stream().mapToDouble(value).toArray());
    }
}
