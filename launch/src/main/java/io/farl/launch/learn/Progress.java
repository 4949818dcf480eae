package io.farl.launch.learn;

import io.farl.model.api.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar over training epochs that also shows the latest losses. */
public final class Progress implements ProgressListener, AutoCloseable {
    private final ProgressBar bar;
    private String phase = "";

    public Progress(String task, long totalEpochs) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalEpochs).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
    }

    @Override
    public void onEpoch(String newPhase, int epoch, Map<String, Double> metrics) {
        phase = newPhase;
        bar.step();
        StringBuilder s = new StringBuilder(phase);
        metrics.entrySet().stream().limit(4).forEach(e -> s.append(String.format(Locale.ROOT, " %s=%.4g", e.getKey(),
                e.getValue())));
        bar.setExtraMessage(s.toString());
    }

    /** Prints a one-line summary of a metric map. */
    public static void summary(PrintWriter out, String title, Map<String, Double> metrics) {
        StringBuilder s = new StringBuilder(title).append(':');
        metrics.forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s=%.4g", k, v)));
        out.println(s);
    }

    @Override
    public void close() {
        bar.close();
    }
}
