package io.farl.controller.teleop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
import io.farl.model.api.FailureCostModel;
import io.farl.robot.api.Field;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.Workspace;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RecordSession} and {@link BufferedEpisodeSink}: decisions, seeds, marks, resumption, what reaches the disk. */
class RecordSessionTest {
    private static final long PERIOD = 100_000_000L;
    private static final RobotDescription DESC = new RobotDescription("fake", List.of(new Field("v", 0, 2, "1")),
            List.of(new Field("a", 0, 2, "1")), new double[] {-1, -1}, new double[] {1, 1},
            new Workspace(-1, -1, 0, 1, 1, 1), 0.5, PERIOD);

    private static Episode.Step step(int i, long stamp, Episode.Mode mode, boolean irFailure, boolean success) {
        return new Episode.Step(i, stamp, new double[] {i, 0}, new double[] {0, 0}, new double[] {0.1 * i, 0},
                1.0, irFailure, success, mode, mode == Episode.Mode.TASK ? OptionalDouble.of(0.25)
                        : OptionalDouble.empty(), List.of(), 0, OptionalDouble.empty(), new double[] {i + 1, 0},
                irFailure || success, false);
    }

    /** An episode of {@code n} human steps, the last stamped at {@code lastStamp}; ends with success or not. */
    private static EndedEpisode episode(int n, long lastStamp, boolean success) {
        List<Episode.Step> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            steps.add(step(i, lastStamp - (n - 1 - i) * PERIOD, Episode.Mode.HUMAN, false, success && i == n - 1));
        }
        return new EndedEpisode(steps, success, false, false);
    }

    private static RecordSession.Settings settings(int target) {
        return new RecordSession.Settings("bounded-push", Episode.Kind.EXPERT, Episode.Source.TELEOP, "test", target,
                PERIOD);
    }

    @Test
    void shouldWriteOnlyKeptEpisodesAndMoveTheSeedOnAsDecided() throws Exception {
        Path file = Path.of(System.getProperty("java.io.tmpdir")).resolve("record-" + System.nanoTime() + ".farl");
        BlockingQueue<EndedEpisode> ended = new LinkedBlockingQueue<>();
        List<Long> started = new ArrayList<>();
        Deque<EpisodeDecision> decisions = new ArrayDeque<>(List.of(EpisodeDecision.keep(Episode.Label.SUCCESS, "ok"),
                EpisodeDecision.discard(), EpisodeDecision.rerecord(), EpisodeDecision.keep(Episode.Label.FAILURE, "")));
        List<EpisodeReview> reviews = new ArrayList<>();
        RecordSummary summary;
        try (DatasetWriter writer = DatasetWriter.open(file)) {
            RecordSession session = new RecordSession(writer, DESC, settings(2), List::of, started::add, ended, 10);
            long now = System.nanoTime();
            ended.add(episode(5, now - 10 * PERIOD, true));
            ended.add(episode(3, now - 8 * PERIOD, false));
            ended.add(episode(3, now - 6 * PERIOD, false));
            ended.add(episode(6, now + PERIOD, false));
            session.markFailure(); // during the last episode: its step 4 (stamped now - PERIOD .. now) runs
            String endedBy = session.run(r -> {
                reviews.add(r);
                return decisions.poll();
            }, () -> true);
            assertEquals("episodes", endedBy);
            summary = session.finish(endedBy);
        }
        assertEquals(List.of(11L, 12L, 12L), started, "a kept or discarded episode moves on, a re-recorded one does not");
        assertEquals(List.of(10L, 11L, 12L, 12L), reviews.stream().map(EpisodeReview::seed).toList());
        assertEquals(Episode.Label.SUCCESS, reviews.get(0).suggested());
        assertEquals(4, reviews.get(3).failureStep(), "the operator's mark points at the step running then");
        assertEquals(Episode.Label.FAILURE, reviews.get(3).suggested(), "an expert episode with a marked failure");
        List<Episode> written = DatasetReader.readAll(file);
        assertEquals(2, written.size());
        assertEquals(List.of(10L, 12L), written.stream().map(e -> e.header().seed()).toList());
        assertEquals(Episode.Source.TELEOP, written.get(0).header().source());
        assertEquals(Episode.Label.SUCCESS, written.get(0).footer().label());
        assertEquals("ok", written.get(0).footer().operatorNote());
        Episode failed = written.get(1);
        assertEquals(Episode.Label.FAILURE, failed.footer().label());
        assertEquals(4, failed.footer().failureStep().getAsInt());
        assertTrue(failed.steps().get(4).irFailure());
        assertEquals(1, failed.footer().failureSteps(), "only the marked step");
        assertEquals(new RecordSummary(2, 2, 2, 1, 1, 1, 1, 0, 0, 11, 11, 0, 0, 0, "episodes"), summary);
        assertEquals(13, RecordSession.nextSeed(file, 0), "a later session resumes after the last kept seed");
        assertEquals(5, RecordSession.nextSeed(file.resolveSibling("none.farl"), 5));
    }

    @Test
    void shouldKeepTheEpisodeInProgressAsTimeoutWhenTheRecordingStops() throws Exception {
        Path file = Path.of(System.getProperty("java.io.tmpdir")).resolve("record-" + System.nanoTime() + ".farl");
        BlockingQueue<EndedEpisode> ended = new LinkedBlockingQueue<>();
        try (DatasetWriter writer = DatasetWriter.open(file)) {
            RecordSession session = new RecordSession(writer, DESC, settings(5), List::of, s -> { }, ended, 3);
            assertEquals("stopped", session.run(r -> {
                throw new AssertionError("nothing ended");
            }, () -> false));
            EndedEpisode cut = episode(4, System.nanoTime(), false);
            ended.add(new EndedEpisode(cut.steps(), false, false, true));
            RecordSummary s = session.finish("stopped");
            assertEquals(1, s.timeout());
            assertEquals("stopped", s.endedBy());
        }
        Episode e = DatasetReader.readAll(file).get(0);
        assertEquals(Episode.Label.TIMEOUT, e.footer().label());
        assertEquals("recording stopped during the episode", e.footer().operatorNote());
        assertEquals(3, e.header().seed());
    }

    @Test
    void shouldKeepTheEpisodeUnderReviewWhenASignalStopsTheRecording() throws Exception {
        Path file = Path.of(System.getProperty("java.io.tmpdir")).resolve("record-" + System.nanoTime() + ".farl");
        BlockingQueue<EndedEpisode> ended = new LinkedBlockingQueue<>();
        ended.add(episode(4, System.nanoTime(), true));
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        String[] endedBy = new String[1];
        try (DatasetWriter writer = DatasetWriter.open(file)) {
            RecordSession session = new RecordSession(writer, DESC, settings(3), List::of, s -> { }, ended, 8);
            Thread recording = new Thread(() -> {
                try {
                    endedBy[0] = session.run(r -> {
                        asked.countDown();
                        Thread.sleep(60_000); // the operator walked away
                        return EpisodeDecision.discard();
                    }, () -> true);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            recording.start();
            assertTrue(asked.await(10, java.util.concurrent.TimeUnit.SECONDS));
            recording.interrupt(); // what the shutdown hook does on Ctrl-C
            recording.join(10_000);
            assertFalse(recording.isAlive());
        }
        assertEquals("stopped", endedBy[0]);
        List<Episode> written = DatasetReader.readAll(file);
        assertEquals(1, written.size(), "the episode under review is not lost");
        assertEquals(Episode.Label.SUCCESS, written.get(0).footer().label(), "as the robot judged it");
        assertEquals("recording stopped before the operator decided", written.get(0).footer().operatorNote());
    }

    @Test
    void shouldScoreTheOperatorsActionsAndHoldStepsUntilTheEpisodeEnds() {
        List<float[]> scored = new ArrayList<>();
        FailureCostModel model = new FailureCostModel() {
            @Override
            public double cost(float[] observation, float[] action) {
                scored.add(action);
                return action[0];
            }

            @Override
            public int horizonSteps() {
                return 1;
            }
        };
        BufferedEpisodeSink sink = new BufferedEpisodeSink(model);
        sink.step(step(0, 1, Episode.Mode.HUMAN, false, false));
        sink.step(step(1, 2, Episode.Mode.TASK, false, false));
        sink.step(step(2, 3, Episode.Mode.HUMAN, false, false));
        assertTrue(sink.ended().isEmpty(), "nothing is handed over before the end");
        sink.end(false, false, false);
        EndedEpisode e = sink.ended().poll();
        assertEquals(3, e.steps().size());
        assertEquals(0.0, e.steps().get(0).failureCost().getAsDouble(), 1e-6, "C_H of the executed human action");
        assertEquals(0.2, e.steps().get(2).failureCost().getAsDouble(), 1e-6);
        assertEquals(0.25, e.steps().get(1).failureCost().getAsDouble(), "a policy step keeps its proposal's C_H");
        assertEquals(2, scored.size());
        sink.end(false, false, false);
        assertTrue(sink.ended().isEmpty(), "an end without steps hands nothing over");
        BufferedEpisodeSink plain = new BufferedEpisodeSink(null);
        plain.step(step(0, 1, Episode.Mode.HUMAN, false, false));
        plain.end(true, false, false);
        assertFalse(plain.ended().poll().steps().get(0).failureCost().isPresent(), "no model, no C_H");
    }
}
