package io.farl.launch.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.deploy.RunReport;
import io.farl.launch.StrictJson;
import java.io.StringWriter;
import java.nio.file.Path;
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
    }
}
