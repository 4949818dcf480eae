package io.farl.launch.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.launch.FarlCli;
import io.farl.launch.StrictJson;
import io.farl.pipeline.bench.GateEffect;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real models, pretrained in the simulator at a small fixed-seed budget (60 demonstrations per kind, 180 policy
 * rollouts, the tiny world model for 400 steps, about a minute), the calibrated gate prevents IR failures that the
 * same task policy suffers without it: {@code farl eval-gate} runs the frozen task policy through the gate and
 * without it on the same layouts with the same exploration noise, so an episode that fails only without the gate is
 * a failure the gate prevented.
 */
class GatePreventsFailuresTest {

    static int cli(StringWriter log, String... args) {
        PrintWriter w = new PrintWriter(log, true);
        return FarlCli.execute(w, w, args);
    }

    @Test
    void shouldPreventFailuresTheUngatedPolicySuffersOnTheSameEpisodes(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        StringWriter log = new StringWriter();
        assertEquals(0, cli(log, "pretrain", "--task", "bounded-push", "--data", dir.resolve("data").toString(),
                "--models", models.toString(), "--seed", "0", "--budget-spec", "60,0.3,tiny,4,100,20,200,4"),
                log.toString());
        // the recovery policy went through the paper's recipe (BC, then offline improvement for reaching a safe
        // state), and eval-recovery measured both versions from the same alarmed states
        JsonNode rec = new ObjectMapper().readTree(models.resolve("reports").resolve("recovery-from-alarms.json")
                .toFile());
        assertTrue(rec.path("behaviourCloned").isObject(), rec.toString());
        assertEquals(rec.path("recoveryPolicy").path("alarmed").asInt(), rec.path("behaviourCloned").path("alarmed")
                .asInt(), "both versions start from the same alarmed states: " + rec);
        assertTrue(Files.isRegularFile(models.resolve("reports").resolve("recovery-policy-offline.png")));
        assertEquals(0, cli(log, "eval-gate", "--models", models.toString(), "--task", "bounded-push", "--steps",
                "5000", "--seed", "0"), log.toString());
        GateEffect e = StrictJson.read(models.resolve("reports").resolve("gate-effect-farl-seed0.json"),
                GateEffect.class);
        String counts = e.toString();
        assertEquals(0, e.untouchedMismatches(), "episodes the gate never touched repeat the ungated ones: " + counts);
        assertTrue(e.intervened() > 0, counts);
        assertTrue(e.ungatedFailures() > 0, "the task policy fails without the gate: " + counts);
        assertTrue(e.prevented() >= 1, "the gate prevents a failure the ungated run suffers: " + counts);
        // every gated failure is sorted by who had the arm
        assertEquals(e.gatedFailures(), e.gatedLeadUp().failureEpisodes(), counts);
        assertEquals(0, e.gatedLeadUp().unknown(), counts);
        assertEquals(e.gatedFailures(), e.gatedLeadUp().duringRecovery() + e.gatedLeadUp().duringHold()
                + e.gatedLeadUp().handedBack() + e.gatedLeadUp().neverOverridden(), counts);
        assertEquals(e.gatedLeadUp().duringRecovery() + e.gatedLeadUp().duringHold(),
                e.gatedLeadUp().overriddenWithin2() + e.gatedLeadUp().overriddenWithin10()
                        + e.gatedLeadUp().overriddenLonger(), counts);
        assertTrue(e.gatedLeadUp().neverOverridden() >= e.missed(), "an episode the gate never touched failed "
                + "with nothing overridden: " + counts);
    }
}
