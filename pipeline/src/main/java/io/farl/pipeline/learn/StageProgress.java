package io.farl.pipeline.learn;

import io.farl.model.api.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Progress of one training stage: told every epoch, closed when the stage ends. The command line shows a progress
 * bar; tests and child processes may pass {@link #NONE}.
 */
public interface StageProgress extends ProgressListener, AutoCloseable {

    /** Opens the progress of a stage of {@code epochs} epochs. */
    @FunctionalInterface
    interface Factory {
        StageProgress start(String stage, long epochs);
    }

    /** No progress shown. */
    Factory NONE = (stage, epochs) -> new StageProgress() {
        @Override
        public void onEpoch(String phase, int epoch, Map<String, Double> metrics) {
        }

        @Override
        public void close() {
        }
    };

    @Override
    void close();

    /** Prints a one-line summary of a metric map: "title: name=value ...". */
    static void summary(PrintWriter out, String title, Map<String, Double> metrics) {
        StringBuilder s = new StringBuilder(title).append(':');
        metrics.forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s=%.4g", k, v)));
        out.println(s);
    }
}
