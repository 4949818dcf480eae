package io.farl.launch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers over dataset files. */
final class Datasets {
    private Datasets() {
    }

    /** Byte offset just after each complete episode of {@code file}. */
    static List<Long> episodeEnds(Path file) throws IOException {
        List<Long> ends = new ArrayList<>();
        try (DatasetReader r = DatasetReader.open(file)) {
            for (Episode ignored : r) {
                ends.add(r.completeEnd());
            }
        }
        return ends;
    }

    /** Asserts equal episodes, wall-clock start times aside (the only field that differs between runs). */
    static void assertSameContent(List<Episode> expected, List<Episode> actual) {
        assertEquals(expected.size(), actual.size(), "episodes");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(withoutWallClock(expected.get(i)), withoutWallClock(actual.get(i)), "episode " + i);
        }
    }

    static Episode withoutWallClock(Episode e) {
        Episode.Header h = e.header();
        return new Episode(new Episode.Header(h.index(), h.task(), h.seed(), h.source(), h.kind(), h.observationSize(),
                h.actionSize(), h.controlPeriodNanos(), h.layout(), 0, h.operatorNote(), h.actor(),
                h.observationLayout(), h.actionLayout()), e.steps(), e.footer());
    }
}
