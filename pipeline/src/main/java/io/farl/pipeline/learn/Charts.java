package io.farl.pipeline.learn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts of training metrics, written as PNG with XChart (headless). */
public final class Charts {
    private Charts() {
    }

    /**
     * One panel per metric over epochs, stacked into one PNG per metric group.
     *
     * @param epochMetrics per epoch, metric name → value (missing or non-finite values are skipped)
     * @param keys         which metrics to draw; empty means all present
     */
    public static void epochCurves(Path png, String title, List<Map<String, Double>> epochMetrics, List<String> keys)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        TreeSet<String> names = new TreeSet<>();
        if (keys.isEmpty()) {
            epochMetrics.forEach(m -> names.addAll(m.keySet()));
        } else {
            names.addAll(keys);
        }
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("epoch")
                .yAxisTitle("loss (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(4);
        boolean any = false;
        for (String name : names) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int e = 0; e < epochMetrics.size(); e++) {
                Double v = epochMetrics.get(e).get(name);
                if (v != null && Double.isFinite(v) && v > 0) {
                    x.add((double) e);
                    y.add(v);
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
                any = true;
            }
        }
        if (!any) {
            return;
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
