package io.farl.launch.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.controller.teleop.RecordSummary;
import io.farl.launch.StrictJson;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farl record --teleop scripted}: the simulator's scripted operator drives through the control loop, each
 * episode is labelled and written, and the same command resumes where the file ends.
 */
class RecordCommandTest {

    @Test
    void shouldRecordLabelledEpisodesThroughTheLoopAndResume(@TempDir Path dir) throws Exception {
        StringWriter log = new StringWriter();
        Path out = dir.resolve("teleop");
        // the scripted operator moves at the simulator's full speed and pushes at table height: the envelope's
        // default half speed and 2 cm workspace margin would slow the failure demonstrations past the time limit
        Path config = dir.resolve("robot.yaml");
        java.nio.file.Files.writeString(config, "envelope:\n  workspace_margin_m: 0\n  max_speed_fraction: 1.0\n"
                + "  max_action_change_per_s: 100\n");
        assertEquals(0, GatePreventsFailuresTest.cli(log, "record", "--teleop", "scripted", "--task", "bounded-push",
                "--kind", "failure", "--episodes", "2", "--max-episode-steps", "120", "--seed", "40", "--config",
                config.toString(), "--out", out.toString()), log.toString());
        Path file = out.resolve("bounded-push-failure-teleop.farl");
        List<Episode> first = DatasetReader.readAll(file);
        assertEquals(2, first.size(), log.toString());
        RecordSummary s = StrictJson.read(out.resolve("record.json"), RecordSummary.class);
        System.out.println("record.json: " + s);
        assertEquals(2, s.kept());
        assertEquals("episodes", s.endedBy());
        assertEquals(s.steps(), first.stream().mapToLong(e -> e.steps().size()).sum());
        for (Episode e : first) {
            assertEquals(Episode.Source.SCRIPTED, e.header().source());
            assertEquals(Episode.Kind.FAILURE, e.header().kind());
            assertTrue(e.steps().size() >= 2 && e.steps().size() <= 120, "cut at the robot's end: " + e.steps().size());
            assertTrue(e.steps().stream().allMatch(st -> st.mode() == Episode.Mode.HUMAN
                    || st.mode() == Episode.Mode.HOLD), "the operator drove every step");
            long human = e.steps().stream().filter(st -> st.mode() == Episode.Mode.HUMAN).count();
            assertTrue(human >= e.steps().size() - 2, "a hold at most while the first command comes: " + human);
            assertTrue(e.steps().stream().skip(1).anyMatch(st -> st.executedAction()[0] != 0
                    || st.executedAction()[1] != 0), "the scripted operator moved the hand");
            assertTrue(e.steps().stream().filter(st -> st.mode() == Episode.Mode.HUMAN)
                    .allMatch(st -> st.proposedAction().length == 4), "the operator's command is the proposed action");
            assertTrue(!e.header().layout().isEmpty(), "the layout is recorded");
            Episode.Label expected = e.footer().failureStep().isPresent() ? Episode.Label.FAILURE
                    : e.footer().success() ? Episode.Label.SUCCESS : Episode.Label.TIMEOUT;
            assertEquals(expected, e.footer().label(), "labelled as the scripted operator judged it");
        }
        assertTrue(first.stream().anyMatch(e -> e.footer().label() == Episode.Label.FAILURE),
                "a failure demonstration fails within 120 steps at least once in 2");
        assertEquals(List.of(40L, 41L), first.stream().map(e -> e.header().seed()).toList());

        // the same command with a larger target continues the file: nothing is rewritten, the seeds go on
        assertEquals(0, GatePreventsFailuresTest.cli(log, "record", "--teleop", "scripted", "--task", "bounded-push",
                "--kind", "failure", "--episodes", "3", "--max-episode-steps", "120", "--seed", "40", "--config",
                config.toString(), "--out", out.toString()), log.toString());
        List<Episode> all = DatasetReader.readAll(file);
        assertEquals(first, all.subList(0, 2));
        assertEquals(LongStream.rangeClosed(40, 42).boxed().toList(), all.stream().map(e -> e.header().seed()).toList());
        assertEquals(0, GatePreventsFailuresTest.cli(log, "record", "--teleop", "scripted", "--episodes", "3",
                "--kind", "failure", "--out", out.toString()), log.toString());
        assertTrue(log.toString().contains("already holds 3 episodes"), log.toString());

        assertEquals(2, GatePreventsFailuresTest.cli(log, "record", "--teleop", "joystick", "--episodes", "1",
                "--out", out.toString()));
        assertTrue(log.toString().contains("--teleop joystick is not available"), log.toString());
        assertEquals(2, GatePreventsFailuresTest.cli(log, "record", "--teleop", "keyboard", "--episodes", "1",
                "--out", out.toString()));
        assertTrue(log.toString().contains("--teleop keyboard needs a terminal"), log.toString());
    }

    @Test
    void shouldScoreEveryOperatorActionWithTheGatesWorldModel(@TempDir Path dir) throws Exception {
        StringWriter log = new StringWriter();
        Path models = dir.resolve("models");
        assertEquals(0, GatePreventsFailuresTest.cli(log, "pretrain", "--task", "bounded-push", "--data",
                dir.resolve("data").toString(), "--models", models.toString(), "--seed", "0", "--budget-spec",
                "60,0.3,tiny,4,100,20,200,4"), log.toString());
        Path config = dir.resolve("robot.yaml");
        java.nio.file.Files.writeString(config, "envelope:\n  workspace_margin_m: 0\n  max_speed_fraction: 1.0\n"
                + "  max_action_change_per_s: 100\n");
        Path out = dir.resolve("teleop");
        assertEquals(0, GatePreventsFailuresTest.cli(log, "record", "--teleop", "scripted", "--task", "bounded-push",
                "--kind", "expert", "--episodes", "2", "--max-episode-steps", "60", "--seed", "50", "--models",
                models.toString(), "--config", config.toString(), "--out", out.toString()), log.toString());
        List<Episode> kept = DatasetReader.readAll(out.resolve("bounded-push-expert-teleop.farl"));
        assertEquals(2, kept.size(), log.toString());
        for (Episode e : kept) {
            List<Episode.Step> human = e.steps().stream().filter(st -> st.mode() == Episode.Mode.HUMAN).toList();
            assertTrue(human.size() >= e.steps().size() - 2, "the operator drove: " + human.size());
            assertTrue(human.stream().allMatch(st -> st.failureCost().isPresent()
                    && Double.isFinite(st.failureCost().getAsDouble()) && st.failureCost().getAsDouble() >= 0),
                    "C_H of every operator action is recorded");
            assertTrue(human.stream().mapToDouble(st -> st.failureCost().getAsDouble()).distinct().count() > 1,
                    "C_H follows the state and the action");
        }
    }
}
