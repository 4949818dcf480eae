package io.farl.interchange;

import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Test helpers: small episodes and dataset files. */
final class Episodes {
    private Episodes() {
    }

    /** The same episode under another task. */
    static Episode withTask(Episode e, String task) {
        Episode.Header h = e.header();
        return new Episode(new Episode.Header(h.index(), task, h.seed(), h.source(), h.kind(), h.observationSize(),
                h.actionSize(), h.controlPeriodNanos(), h.layout(), h.startedUnixMillis(), h.operatorNote(), h.actor(),
                h.observationLayout(), h.actionLayout()), e.steps(), e.footer());
    }

    /** A plain episode of {@code steps} steps with the given sizes, no layouts, rewards 1 each. */
    static Episode plain(String task, int observationSize, int actionSize, int steps) {
        List<Episode.Step> list = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            double[] obs = new double[observationSize];
            obs[0] = i;
            double[] next = new double[observationSize];
            next[0] = i + 1;
            list.add(Episode.Step.plain(i, 50_000_000L * i, obs, new double[0], new double[actionSize], 1.0, false,
                    false, Episode.Mode.TASK, next, false, i == steps - 1));
        }
        Episode.Header h = new Episode.Header(0, task, 0, Episode.Source.SCRIPTED, Episode.Kind.EXPERT,
                observationSize, actionSize, 50_000_000L, List.of(), 0, "", "test", List.of(), List.of());
        return new Episode(h, list, new Episode.Footer(0, Episode.Label.TIMEOUT, steps, OptionalInt.empty(), steps,
                false, "", 0));
    }

    /** Writes {@code episodes}, re-indexed in order, to a new dataset file. */
    static void write(Path file, List<Episode> episodes) throws IOException {
        try (DatasetWriter w = DatasetWriter.open(file)) {
            for (Episode e : episodes) {
                w.append(e);
            }
        }
    }
}
