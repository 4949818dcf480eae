package io.farl.launch.learn;

import io.farl.pipeline.learn.StageProgress;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar over training epochs that also shows the latest losses. */
public final class Progress implements StageProgress {
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

    @Override
    public void close() {
        bar.close();
    }
}
