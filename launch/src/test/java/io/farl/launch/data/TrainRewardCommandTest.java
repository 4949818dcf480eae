package io.farl.launch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.launch.FarlCli;
import io.farl.model.jvm.JvmStateReward;
import io.farl.model.jvm.ModelDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farl train reward --method tw-crl} on demonstrations the simulator really produced: the scripted expert's
 * successes and the failure generator's IR failures on bounded-push; the learned reward tells held-out successful
 * episodes from failed ones by their last state.
 */
class TrainRewardCommandTest {

    @Test
    void shouldLearnARewardThatSeparatesHeldOutSuccessesFromFailures(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        for (String kind : new String[] {"expert", "failure"}) {
            CliRun c = CliRun.of("collect", "--task", "bounded-push", "--kind", kind, "--episodes", "60", "--seed",
                    "0", "--out", data.toString());
            assertEquals(0, c.exitCode(), c.toString());
        }
        Path models = dir.resolve("models");
        CliRun run = CliRun.of("train", "reward", "--data", data.toString(), "--task", "bounded-push", "--out",
                models.toString(), "--epochs", "15", "--held-out", "0.3", "--seed", "2");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("AUROC"), run.out());

        JsonNode r = new ObjectMapper().readTree(models.resolve("reports").resolve("reward-model.json").toFile());
        assertEquals("tw-crl", r.path("method").asText());
        assertTrue(r.path("heldOutSuccesses").asInt() > 5 && r.path("heldOutFailures").asInt() > 5, r.toString());
        assertTrue(r.path("finalStateAuroc").asDouble() > 0.8, "the last state tells success from failure: " + r);
        JsonNode wins = r.path("successByProgress");
        JsonNode losses = r.path("failureByProgress");
        int last = wins.size() - 1;
        assertTrue(wins.get(last).asDouble() > 0 && losses.get(last).asDouble() < 0,
                "positive at the end of successes, negative at the end of failures: " + r);
        assertTrue(wins.get(last).asDouble() > wins.get(0).asDouble(), "the reward rises towards the goal: " + r);
        assertTrue(Files.isRegularFile(models.resolve("reports").resolve("reward-model-losses.png")));
        assertTrue(Files.size(models.resolve("reports").resolve("reward-heatmap.png")) > 5000, "the heat map");

        Path version = ModelDirectory.latest(models.resolve("reward-model")).orElseThrow();
        JvmStateReward model = JvmStateReward.read(version);
        assertEquals(39, model.observationSize());
        assertEquals("tw-crl", model.config().getProperty("method"));

        CliRun bad = CliRun.of("train", "reward", "--data", data.toString(), "--task", "bounded-push", "--out",
                models.toString(), "--method", "gail");
        assertEquals(FarlCli.EXIT_BAD_INPUT, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("--method must be tw-crl or crl"), bad.err());
    }
}
