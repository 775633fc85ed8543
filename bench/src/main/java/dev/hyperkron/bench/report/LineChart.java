package dev.hyperkron.bench.report;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart of named (x, y) series written as SVG and PNG (headless XChart). Series differ in
 * line style and marker as well as colour, so that one drawn over another stays visible; long
 * series get no marker per point, which kept the SVGs at hundreds of kilobytes.
 */
public final class LineChart {
    /** Series longer than this are drawn as lines only. */
    static final int MAX_MARKED_POINTS = 20;
    private static final BasicStroke[] LINES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT,
        SeriesLines.DASH_DOT};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logX;
    private boolean logY;

    private record Series(String name, double[] x, double[] y, boolean line) {
    }

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart series(String name, double[] x, double[] y) {
        return add(name, x, y, true);
    }

    /** A series drawn as points without a line (a scatter plot). */
    public LineChart points(String name, double[] x, double[] y) {
        return add(name, x, y, false);
    }

    private LineChart add(String name, double[] x, double[] y, boolean line) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values for " + y.length + " y values");
        }
        if (x.length > 0) {
            series.add(new Series(name, x.clone(), y.clone(), line));
        }
        return this;
    }

    public LineChart logX(boolean on) {
        this.logX = on;
        return this;
    }

    public LineChart logY(boolean on) {
        this.logY = on;
        return this;
    }

    /**
     * The series' points a chart can draw: finite, and positive on a log axis (a diverged run's
     * Infinity or NaN would make XChart refuse the whole chart).
     */
    private Series drawable(Series s) {
        int n = 0;
        double[] x = new double[s.x().length];
        double[] y = new double[s.y().length];
        for (int i = 0; i < x.length; i++) {
            if (shown(s.x()[i], logX) && shown(s.y()[i], logY)) {
                x[n] = s.x()[i];
                y[n++] = s.y()[i];
            }
        }
        return new Series(s.name(), java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n), s.line());
    }

    private static boolean shown(double value, boolean logAxis) {
        return Double.isFinite(value) && (!logAxis || value > 0);
    }

    /** Writes {@code base}.svg and {@code base}.png; points that cannot be drawn are left out. */
    public void save(Path base) throws IOException {
        System.setProperty("java.awt.headless", "true");
        OutputFiles.prepare(Path.of(base + ".svg"));
        OutputFiles.prepare(Path.of(base + ".png"));
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setMarkerSize(5);
        for (int i = 0; i < series.size(); i++) {
            Series s = drawable(series.get(i));
            if (s.x().length == 0) {
                continue;
            }
            XYSeries drawn = chart.addSeries(s.name(), s.x(), s.y());
            drawn.setLineStyle(s.line() ? LINES[i % LINES.length] : SeriesLines.NONE);
            drawn.setMarker(!s.line() || s.x().length <= MAX_MARKED_POINTS ? MARKERS[i % MARKERS.length] : SeriesMarkers.NONE);
        }
        VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
