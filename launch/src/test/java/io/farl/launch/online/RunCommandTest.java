package io.farl.launch.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.controller.deploy.RunReport;
import io.farl.launch.StrictJson;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farl run --robot sim} with tiny pretrained models (the budget of {@link GatePreventsFailuresTest}): the
 * threaded runtime drives the in-process simulator for the requested episodes and ends with a final hold.
 */
class RunCommandTest {

    @Test
    void shouldRunTheRequestedEpisodesAndEndWithAFinalHold(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        StringWriter log = new StringWriter();
        assertEquals(0, GatePreventsFailuresTest.cli(log, "pretrain", "--task", "bounded-push", "--data",
                dir.resolve("data").toString(), "--models", models.toString(), "--seed", "0", "--budget-spec",
                "60,0.3,tiny,4,100,20,200,4"), log.toString());
        Path out = dir.resolve("run");
        assertEquals(0, GatePreventsFailuresTest.cli(log, "run", "--robot", "sim", "--models", models.toString(),
                "--task", "bounded-push", "--episodes", "2", "--max-episode-steps", "20", "--out", out.toString()),
                log.toString());
        RunReport r = StrictJson.read(out.resolve("run.json"), RunReport.class);
        System.out.println("run.json: " + r);
        assertEquals(2, r.episodes(), r.toString());
        assertEquals(r.episodes(), r.successes() + r.irFailures() + (r.episodes() - r.successes() - r.irFailures()));
        assertTrue(r.steps() >= 2 * 20 - 1, r.toString());
        assertTrue(r.taskSteps() + r.recoverySteps() > 0, r.toString());
        assertTrue(r.finalHolds() >= 1, "the run ends with a final hold: " + r);
        assertTrue(r.latencyP50Nanos() > 0 && r.latencyP50Nanos() <= r.latencyP99Nanos(), r.toString());

        // The dataset: exactly the counted episodes, cut where the simulator ended them, labelled as counted.
        List<Episode> recorded = DatasetReader.readAll(out.resolve("run.farl"));
        assertEquals(2, recorded.size());
        long failures = 0;
        long successes = 0;
        for (Episode e : recorded) {
            Episode.Step last = e.steps().get(e.steps().size() - 1);
            assertTrue(last.terminated() || last.truncated(), "the last step ends the episode");
            assertTrue(e.steps().size() <= 20, "no step of the next episode: " + e.steps().size());
            for (Episode.Step st : e.steps().subList(0, e.steps().size() - 1)) {
                assertTrue(!st.terminated() && !st.truncated(), "only the last step ends it");
            }
            assertEquals(Episode.Kind.ONLINE, e.header().kind());
            failures += e.footer().label() == Episode.Label.FAILURE ? 1 : 0;
            successes += e.footer().label() == Episode.Label.SUCCESS ? 1 : 0;
            assertTrue(e.steps().stream().anyMatch(st -> st.proposedAction().length == 4),
                    "the task proposals the gate judged are recorded");
            assertTrue(e.steps().stream().allMatch(st -> st.executedAction().length == 4));
        }
        assertEquals(r.irFailures(), failures);
        assertEquals(r.successes(), successes);

        // A second run appends to the dataset.
        assertEquals(0, GatePreventsFailuresTest.cli(log, "run", "--robot", "sim", "--models", models.toString(),
                "--task", "bounded-push", "--episodes", "1", "--max-episode-steps", "20", "--seed", "5", "--out",
                out.toString()), log.toString());
        List<Episode> again = DatasetReader.readAll(out.resolve("run.farl"));
        assertEquals(3, again.size());
        assertEquals(recorded.get(1).header(), again.get(1).header(), "what was recorded stays");
        assertEquals(recorded.get(1).footer(), again.get(1).footer());
        assertEquals(5, again.get(2).header().seed());
        assertEquals("episodes", r.endedBy());

        // A supervisor latch (here: any hold longer than 1 ms) ends the run with its report instead of holding on.
        Path config = dir.resolve("robot.yaml");
        java.nio.file.Files.writeString(config, "supervisor:\n  max_hold_ms: 1\n");
        Path stopped = dir.resolve("stopped");
        assertEquals(0, GatePreventsFailuresTest.cli(log, "run", "--robot", "sim", "--models", models.toString(),
                "--config", config.toString(), "--episodes", "1000", "--out", stopped.toString()), log.toString());
        RunReport s = StrictJson.read(stopped.resolve("run.json"), RunReport.class);
        System.out.println("run.json after a latch: " + s);
        assertEquals("stopped", s.endedBy(), s.toString());
        assertEquals("HOLD_TIMEOUT", s.supervisorCause());
        assertTrue(s.episodes() < 1000 && s.finalHolds() >= 1, s.toString());
    }
}
