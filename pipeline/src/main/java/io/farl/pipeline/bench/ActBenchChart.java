package io.farl.pipeline.bench;

import io.farl.pipeline.report.Proportion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The picture of {@code farl bench act} for one task: per training set, the evaluation success of the failure-aware
 * and (when trained) the plain ACT, and the critic's test recall (when measured), each pooled over seeds with its
 * Wilson 95% interval as an error bar. Written once some series is complete.
 */
final class ActBenchChart {
    private ActBenchChart() {
    }

    static void write(Path png, String task, List<ActBench.Row> rows, List<ActBench.CriticRow> critics)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(900).height(520)
                .title("farl bench act, " + task + ": pooled over seeds, Wilson 95% intervals")
                .xAxisTitle("training set: the successes and ...").yAxisTitle("%").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        boolean any = false;
        for (String model : List.of(ActBench.FAILURE_AWARE, ActBench.PLAIN)) {
            List<Proportion> p = new ArrayList<>();
            for (String set : ActBench.DATASETS) {
                Optional<ActBench.Row> r = rows.stream().filter(x -> x.task().equals(task) && x.model().equals(model)
                        && x.dataset().equals(set) && x.runs() > 0).findFirst();
                p.add(r.map(x -> Proportion.of(x.eval().successes(), x.eval().episodes())).orElse(null));
            }
            any |= series(chart, model + " ACT: evaluation success", p);
        }
        List<Proportion> recall = new ArrayList<>();
        for (String set : ActBench.DATASETS) {
            recall.add(critics.stream().filter(x -> x.task().equals(task) && x.dataset().equals(set) && x.runs() > 0)
                    .findFirst().map(ActBench.CriticRow::testRecall).orElse(null));
        }
        any |= series(chart, "world model: test recall of the policy's failures", recall);
        if (!any) {
            return;
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** One bar per set; a series with a set still missing (a run in progress, a model not trained) is left out. */
    private static boolean series(CategoryChart chart, String name, List<Proportion> values) {
        if (values.stream().anyMatch(p -> p == null || p.total() == 0)) {
            return false;
        }
        List<Double> y = new ArrayList<>();
        List<Double> err = new ArrayList<>();
        for (Proportion p : values) {
            y.add(100 * p.rate());
            // XChart draws symmetric bars: the larger half of the Wilson interval
            err.add(100 * Math.max(p.rate() - p.ci95().lo(), p.ci95().hi() - p.rate()));
        }
        chart.addSeries(name, ActBench.DATASETS, y, err);
        return true;
    }
}
