package dev.hyperkron.bench.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {

    @Test
    void longSeriesAreDrawnAsDistinctLinesWithoutAMarkerPerPoint(@TempDir Path dir) throws Exception {
        LineChart chart = new LineChart("t", "x", "y");
        for (int s = 0; s < 4; s++) {
            double[] x = new double[400];
            double[] y = new double[400];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
                y[i] = 1 + s + Math.sin(i / 10.0);
            }
            chart.series("series " + s, x, y);
        }
        chart.save(dir.resolve("c"));
        String svg = Files.readString(dir.resolve("c.svg"));
        long ellipses = svg.split("<ellipse", -1).length - 1;
        assertTrue(ellipses <= 4 * LineChart.MAX_MARKED_POINTS, ellipses + " markers drawn");
        assertTrue(svg.contains("stroke-dasharray"), "every series drawn with a solid line");
    }

    /** A diverged run's Infinity and NaN, and a zero on a log axis, are left out rather than failing the chart. */
    @Test
    void pointsThatCannotBeDrawnAreLeftOut(@TempDir Path dir) throws Exception {
        new LineChart("t", "x", "y").logY(true)
                .series("diverged", new double[] {1, 2, 3, 4}, new double[] {0.5, Double.POSITIVE_INFINITY, Double.NaN, 0})
                .series("fine", new double[] {1, 2}, new double[] {0.4, 0.3})
                .series("nothing drawable", new double[] {1}, new double[] {Double.NaN})
                .save(dir.resolve("c"));
        assertTrue(Files.size(dir.resolve("c.png")) > 0);
        assertTrue(Files.size(dir.resolve("c.svg")) > 0);
    }
}
