package io.farl.pipeline.online;

import io.farl.controller.session.EpisodeStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Fine-tuning curves over environment steps, one line per run: cumulative IR-failure episodes, cumulative
 * IR-failure steps, success rate and return (moving window of {@link RunReport#WINDOW} episodes). Four panels in
 * one PNG, drawn headless with XChart.
 */
public final class Curves {
    private Curves() {
    }

    public static void write(Path png, String title, Map<String, List<EpisodeStats>> runs) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart failEp = chart(title + ": IR-failure episodes", "cumulative failure episodes");
        XYChart failSteps = chart("IR-failure steps", "cumulative failure steps");
        XYChart success = chart("success rate (last " + RunReport.WINDOW + " episodes)", "success rate");
        XYChart ret = chart("return (last " + RunReport.WINDOW + " episodes)", "mean episode return");
        for (Map.Entry<String, List<EpisodeStats>> run : runs.entrySet()) {
            List<EpisodeStats> eps = run.getValue();
            if (eps.isEmpty()) {
                continue;
            }
            int n = eps.size();
            double[] x = new double[n];
            double[] fe = new double[n];
            double[] fs = new double[n];
            double[] sr = new double[n];
            double[] mr = new double[n];
            double cumE = 0;
            double cumS = 0;
            for (int i = 0; i < n; i++) {
                EpisodeStats e = eps.get(i);
                x[i] = e.totalSteps();
                cumE += e.failureEpisode() ? 1 : 0;
                cumS += e.irFailureSteps();
                fe[i] = cumE;
                fs[i] = cumS;
                int from = Math.max(0, i - RunReport.WINDOW + 1);
                double succ = 0;
                double r = 0;
                for (int j = from; j <= i; j++) {
                    succ += eps.get(j).success() ? 1 : 0;
                    r += eps.get(j).episodeReturn();
                }
                sr[i] = succ / (i - from + 1);
                mr[i] = r / (i - from + 1);
            }
            add(failEp, run.getKey(), x, fe);
            add(failSteps, run.getKey(), x, fs);
            add(success, run.getKey(), x, sr);
            add(ret, run.getKey(), x, mr);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        List<XYChart> charts = new ArrayList<>(List.of(failEp, failSteps, success, ret));
        String base = png.toString().endsWith(".png") ? png.toString().substring(0, png.toString().length() - 4)
                : png.toString();
        BitmapEncoder.saveBitmap(charts, 2, 2, base, BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(640).height(400).title(title).xAxisTitle("environment steps")
                .yAxisTitle(yTitle).build();
        c.getStyler().setMarkerSize(0);
        return c;
    }

    private static void add(XYChart c, String name, double[] x, double[] y) {
        c.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }
}
