package io.farl.controller.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.api.TaskSignals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadBackExactlyWhatWasWritten() throws IOException {
        Path file = dir.resolve("a.farl");
        List<Episode> written = new ArrayList<>();
        try (DatasetWriter w = DatasetWriter.open(file)) {
            for (int i = 0; i < 6; i++) {
                Episode e = SyntheticEpisodes.episode(i, 3 + 4 * i, 100 + i);
                w.append(e);
                written.add(e);
            }
            assertEquals(6, w.completeEpisodes());
        }
        List<Episode> read = DatasetReader.readAll(file);
        assertEquals(written, read);
        assertEquals(Episode.Label.FAILURE, read.get(2).label());
        assertEquals(5, read.get(2).footer().failureStep().orElseThrow(), "failure at the middle step of 11");
        assertTrue(Double.isNaN(read.get(1).steps().get(1).interventions().get(0).requested()));
        assertEquals(3, read.get(0).header().observationField("hand_pos").orElseThrow().size());
        assertEquals(4, read.get(0).header().actionLayout().get(1).offset() + 1);
    }

    @Test
    void shouldKeepAnEmptyEpisodeAndAnEmptyFile() throws IOException {
        Path file = dir.resolve("empty.farl");
        try (DatasetWriter w = DatasetWriter.open(file)) {
            assertEquals(0, w.completeEpisodes());
        }
        assertEquals(List.of(), DatasetReader.readAll(file));
        try (DatasetWriter w = DatasetWriter.open(file)) {
            w.append(SyntheticEpisodes.episode(0, 0, 1));
        }
        assertEquals(0, DatasetReader.readAll(file).get(0).length());
    }

    @Test
    void shouldRecordStepsFromSignalsAndJudgeTheLabel() throws IOException {
        Path file = dir.resolve("rec.farl");
        try (DatasetWriter w = DatasetWriter.open(file)) {
            w.append(SyntheticEpisodes.episode(0, 2, 5));
            Episode.Header h = new Episode.Header(99, "bounded-push", 7, Episode.Source.SCRIPTED,
                    Episode.Kind.RECOVERY, 2, 1, 1_000_000, List.of(), 0, "", "recovery", List.of(), List.of());
            EpisodeRecorder rec = EpisodeRecorder.begin(w, h);
            double[] obs = {0, 0};
            double[] act = {0.5};
            rec.step(0, obs, act, act, Episode.Mode.RECOVERY, new TaskSignals(0.25, false, false, false, false, 0),
                    new double[] {1, 1});
            obs[0] = 7; // the recorder serialised the previous step already
            rec.step(1, obs, act, act, Episode.Mode.RECOVERY, new TaskSignals(0.5, true, false, true, false, 1),
                    new double[] {2, 2});
            Episode.Footer f = rec.finish("reached the safe state");
            assertEquals(Episode.Label.RECOVERY, f.label());
            assertEquals(1, f.episodeIndex(), "index comes from the writer");
        }
        Episode e = DatasetReader.readAll(file).get(1);
        assertEquals(0.0, e.steps().get(0).observation()[0]);
        assertEquals(7.0, e.steps().get(1).observation()[0]);
        assertEquals(0.75, e.footer().episodeReturn());
        assertTrue(e.footer().success());
    }

    @Test
    void shouldJudgeLabelsFailureFirst() {
        assertEquals(Episode.Label.FAILURE, Episode.Label.judge(Episode.Kind.EXPERT, true, true));
        assertEquals(Episode.Label.SUCCESS, Episode.Label.judge(Episode.Kind.FAILURE, true, false));
        assertEquals(Episode.Label.RECOVERY, Episode.Label.judge(Episode.Kind.RECOVERY, true, false));
        assertEquals(Episode.Label.TIMEOUT, Episode.Label.judge(Episode.Kind.RECOVERY, false, false));
    }

    @Test
    void shouldRefuseInvalidRecordsBeforeWritingThem() throws IOException {
        Path file = dir.resolve("w.farl");
        try (DatasetWriter w = DatasetWriter.open(file)) {
            w.append(SyntheticEpisodes.episode(0, 3, 1));
            long size = Files.size(file);
            w.beginEpisode(SyntheticEpisodes.header(1, 2));
            double[] obs = new double[SyntheticEpisodes.OBS];
            double[] act = new double[SyntheticEpisodes.ACT];
            InvalidRecordException nan = assertThrows(InvalidRecordException.class, () -> w.appendStep(
                    Episode.Step.plain(0, 0, obs, act, new double[] {0, Double.NaN, 0, 0}, 0, false, false,
                            Episode.Mode.TASK, obs, false, false)));
            assertEquals("step.executed_action[1]", nan.field());
            InvalidRecordException size39 = assertThrows(InvalidRecordException.class, () -> w.appendStep(
                    Episode.Step.plain(0, 0, new double[3], act, act, 0, false, false, Episode.Mode.TASK, obs, false,
                            false)));
            assertEquals("step.observation", size39.field());
            w.appendStep(Episode.Step.plain(0, 0, obs, act, act, 1.0, true, false, Episode.Mode.TASK, obs, true,
                    false));
            InvalidRecordException footer = assertThrows(InvalidRecordException.class, () -> w.endEpisode(
                    new Episode.Footer(1, Episode.Label.FAILURE, 1, java.util.OptionalInt.empty(), 1.0, false, "", 1)));
            assertEquals("footer.failure_step", footer.field());
            assertTrue(w.episodeOpen());
            w.endEpisode(new Episode.Footer(1, Episode.Label.FAILURE, 1, java.util.OptionalInt.of(0), 1.0, false, "",
                    1));
            assertFalse(w.episodeOpen());
            assertTrue(Files.size(file) > size);
        }
        assertEquals(2, DatasetReader.readAll(file).size());
    }

    @Test
    void shouldRefuseALayoutThatDoesNotCoverTheVector() {
        InvalidRecordException gap = assertThrows(InvalidRecordException.class, () -> new Episode.Header(0, "t", 0,
                Episode.Source.SCRIPTED, Episode.Kind.EXPERT, 4, 1, 1, List.of(), 0, "", "",
                List.of(new io.farl.robot.api.Field("a", 0, 2, "m"), new io.farl.robot.api.Field("b", 3, 1, "m")),
                List.of()));
        assertEquals("header.observation_layout", gap.field());
        InvalidRecordException shortLayout = assertThrows(InvalidRecordException.class, () -> new Episode.Header(0,
                "t", 0, Episode.Source.SCRIPTED, Episode.Kind.EXPERT, 4, 1, 1, List.of(), 0, "", "", List.of(),
                List.of(new io.farl.robot.api.Field("a", 0, 2, "1"))));
        assertEquals("header.action_layout", shortLayout.field());
    }

    @Test
    void shouldKeepASecondWriterOut() throws IOException {
        Path file = dir.resolve("lock.farl");
        try (DatasetWriter w = DatasetWriter.open(file)) {
            IOException e = assertThrows(IOException.class, () -> DatasetWriter.open(file));
            assertTrue(e.getMessage().contains("another writer"), e.getMessage());
            w.append(SyntheticEpisodes.episode(0, 1, 1));
        }
        try (DatasetWriter w = DatasetWriter.open(file)) {
            assertEquals(1, w.completeEpisodes());
        }
    }
}
