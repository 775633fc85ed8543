package dev.hyperkron.bench.experiments.figures;

import dev.hyperkron.bilevel.train.HistoryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's test metrics at the outer steps where they were evaluated: what the paper's figures
 * draw. Evaluations with a non-finite test loss (a run on its way to diverging) are left out.
 *
 * @param points the evaluations in step order
 */
public record EvaluatedCurve(List<Point> points) {

    /**
     * One evaluation.
     *
     * @param step         outer step (1-based)
     * @param seconds      the run's clock at that step (outer steps only, evaluations excluded)
     * @param testLoss     test loss
     * @param testAccuracy test accuracy
     * @param f1           F1 of flagging the corrupted examples by their weights (NaN for a reference run)
     */
    public record Point(double step, double seconds, double testLoss, double testAccuracy, double f1) {
    }

    public EvaluatedCurve {
        points = List.copyOf(points);
    }

    /** The evaluated steps of a run's history. */
    public static EvaluatedCurve of(List<HistoryEntry> history) {
        List<Point> points = new ArrayList<>();
        for (HistoryEntry e : history) {
            Map<String, Double> m = e.metrics();
            double loss = m.getOrDefault("testLoss", Double.NaN);
            if (Double.isFinite(loss)) {
                points.add(new Point(e.step(), e.seconds(), loss, m.getOrDefault("testAccuracy", Double.NaN),
                        m.getOrDefault("f1", Double.NaN)));
            }
        }
        return new EvaluatedCurve(points);
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    /** The evaluation with the lowest test loss (the first of equal ones); empty curves have none. */
    public Point minimum() {
        if (points.isEmpty()) {
            throw new IllegalStateException("a curve without evaluations has no minimum");
        }
        Point best = points.get(0);
        for (Point p : points) {
            if (p.testLoss() < best.testLoss()) {
                best = p;
            }
        }
        return best;
    }

    /** The curve up to and including its lowest test loss, as the paper draws its curves. */
    public EvaluatedCurve truncatedAtMinimum() {
        return isEmpty() ? this : new EvaluatedCurve(points.subList(0, points.indexOf(minimum()) + 1));
    }

    /**
     * The mean curve of repeated runs (seeds): at the i-th evaluation for every i that all of
     * them reached, the mean of each coordinate, steps and seconds included (runs under a time
     * budget reach a given evaluation at different steps and times).
     */
    public static EvaluatedCurve mean(List<EvaluatedCurve> runs) {
        int common = runs.stream().mapToInt(c -> c.points().size()).min().orElse(0);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < common; i++) {
            int at = i;
            List<Point> ith = runs.stream().map(c -> c.points().get(at)).toList();
            points.add(new Point(average(ith, Point::step), average(ith, Point::seconds), average(ith, Point::testLoss),
                    average(ith, Point::testAccuracy), average(ith, Point::f1)));
        }
        return new EvaluatedCurve(points);
    }

    private static double average(List<Point> points, java.util.function.ToDoubleFunction<Point> value) {
        return points.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    /** One coordinate of every point, for a chart. */
    public double[] column(java.util.function.ToDoubleFunction<Point> value) {
        return points.stream().mapToDouble(value).toArray();
    }
}
