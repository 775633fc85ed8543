package dev.hyperkron.bench.experiments.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bench.report.MeanSpread;
import dev.hyperkron.bilevel.train.HistoryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The curves the figures draw: their minimum, the truncation at it, and the mean over seeds. */
class EvaluatedCurveTest {

    private static HistoryEntry step(int step, double seconds, Double testLoss) {
        Map<String, Double> metrics = testLoss == null ? Map.of()
                : Map.of("testLoss", testLoss, "testAccuracy", 1 - testLoss / 10, "f1", 0.5);
        return new HistoryEntry(step, seconds, 1, 1, 0.1, 0.1, 1, "", metrics);
    }

    @Test
    void onlyEvaluatedStepsWithAFiniteLossAreOnTheCurve() {
        EvaluatedCurve c = EvaluatedCurve.of(List.of(step(1, 0.1, null), step(2, 0.2, 2.0), step(3, 0.3, null),
                step(4, 0.4, Double.POSITIVE_INFINITY), step(5, 0.5, Double.NaN), step(6, 0.6, 1.5)));
        assertEquals(List.of(2.0, 6.0), c.points().stream().map(EvaluatedCurve.Point::step).toList());
    }

    @Test
    void theCurveIsTruncatedAtItsFirstLowestPoint() {
        EvaluatedCurve c = EvaluatedCurve.of(List.of(step(1, 1, 3.0), step(2, 2, 1.0), step(3, 3, 2.0), step(4, 4, 1.0),
                step(5, 5, 4.0)));
        assertEquals(2.0, c.minimum().step());
        assertEquals(List.of(3.0, 1.0), c.truncatedAtMinimum().points().stream().map(EvaluatedCurve.Point::testLoss).toList());
        assertThrows(IllegalStateException.class, () -> new EvaluatedCurve(List.of()).minimum());
        assertTrue(new EvaluatedCurve(List.of()).truncatedAtMinimum().isEmpty());
    }

    /** The minimum is on the curve, nothing on it is lower, and the truncated curve ends there. */
    @Property(tries = 200)
    void theMinimumIsTheLowestPointAndEndsTheTruncatedCurve(
            @ForAll @Size(min = 1, max = 30) List<@DoubleRange(min = 0, max = 10) Double> losses) {
        List<HistoryEntry> history = new ArrayList<>();
        for (int i = 0; i < losses.size(); i++) {
            history.add(step(i + 1, i, losses.get(i)));
        }
        EvaluatedCurve c = EvaluatedCurve.of(history);
        double min = losses.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        assertEquals(min, c.minimum().testLoss());
        EvaluatedCurve t = c.truncatedAtMinimum();
        assertEquals(c.minimum(), t.points().get(t.points().size() - 1));
        assertTrue(t.points().subList(0, t.points().size() - 1).stream().allMatch(p -> p.testLoss() > min));
    }

    @Test
    void theMeanCurveAveragesEveryCoordinateOverTheEvaluationsAllRunsReached() {
        EvaluatedCurve a = EvaluatedCurve.of(List.of(step(5, 1, 2.0), step(10, 2, 1.0), step(15, 3, 0.5)));
        EvaluatedCurve b = EvaluatedCurve.of(List.of(step(5, 3, 4.0), step(10, 6, 3.0)));
        EvaluatedCurve mean = EvaluatedCurve.mean(List.of(a, b));
        assertEquals(List.of(new EvaluatedCurve.Point(5, 2, 3, 0.7, 0.5), new EvaluatedCurve.Point(10, 4, 2, 0.8, 0.5)),
                mean.points());
    }

    @Test
    void meanSpreadIgnoresMissingValuesAndPrintsTheSpreadOfSeveral() {
        assertEquals("-", MeanSpread.of().format(2));
        assertEquals("-", MeanSpread.of(Double.NaN).format(2));
        assertEquals("1.50", MeanSpread.of(1.5, Double.NaN).format(2));
        MeanSpread two = MeanSpread.of(1, 3);
        assertEquals(2, two.mean());
        assertEquals(Math.sqrt(2), two.sd(), 1e-15);
        assertEquals("2.00 ± 1.41", two.format(2));
    }
}
