package dev.hyperkron.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;

/** A grouped bar chart (one bar per category and series) written as SVG and PNG (headless XChart). */
public final class BarChart {
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    private record Series(String name, List<String> categories, List<Double> values) {
    }

    public BarChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** A series of bars, one value per category. */
    public BarChart series(String name, List<String> categories, List<Double> values) {
        if (categories.size() != values.size()) {
            throw new IllegalArgumentException("series '" + name + "': " + categories.size() + " categories for "
                    + values.size() + " values");
        }
        if (!categories.isEmpty()) {
            series.add(new Series(name, List.copyOf(categories), List.copyOf(values)));
        }
        return this;
    }

    /** Writes {@code base}.svg and {@code base}.png. */
    public void save(Path base) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(base.toAbsolutePath().getParent());
        CategoryChart chart = new CategoryChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLabelRotation(20);
        for (Series s : series) {
            chart.addSeries(s.name(), s.categories(), s.values());
        }
        VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
