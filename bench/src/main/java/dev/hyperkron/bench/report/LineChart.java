package dev.hyperkron.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A line chart of named (x, y) series written as SVG and PNG (headless XChart). */
public final class LineChart {
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logX;
    private boolean logY;

    private record Series(String name, double[] x, double[] y) {
    }

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart series(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values for " + y.length + " y values");
        }
        if (x.length > 0) {
            series.add(new Series(name, x.clone(), y.clone()));
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

    /** Writes {@code base}.svg and {@code base}.png. */
    public void save(Path base) throws IOException {
        System.setProperty("java.awt.headless", "true");
        OutputFiles.prepare(Path.of(base + ".svg"));
        OutputFiles.prepare(Path.of(base + ".png"));
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setMarkerSize(5);
        for (Series s : series) {
            chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.CIRCLE);
        }
        VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
