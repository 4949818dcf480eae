package io.farl.launch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.controller.dataset.Episode;
import io.farl.launch.FarlCli;
import io.farl.pipeline.learn.ActTraining;
import io.farl.pipeline.learn.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farl train act} and {@code farl select-failures} on demonstrations the simulator really produced: the ACT
 * trained on the expert's successes and the failure generator's failures; every failure scored, split into thirds by
 * its score, and a retraining on the successes and the lowest third.
 */
class TrainActCommandTest {

    @Test
    void shouldTrainScoreSplitAndRetrainOnTheLowestThird(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        for (String kind : new String[] {"expert", "failure"}) {
            CliRun c = CliRun.of("collect", "--task", "bounded-push", "--kind", kind, "--episodes", "15", "--seed",
                    "0", "--out", data.toString());
            assertEquals(0, c.exitCode(), c.toString());
        }
        ActTraining.Attempts attempts = ActTraining.attempts(TrainingData.episodes(List.of(data),
                Optional.of("bounded-push")));
        int failures = attempts.failures().size();
        assertTrue(failures >= 6, "the failure generator failed often enough: " + failures);

        Path all = dir.resolve("act-all");
        CliRun run = CliRun.of("train", "act", "--data", data.toString(), "--task", "bounded-push", "--failures", "all",
                "--epochs", "2", "--model-size", "32", "--feed-forward", "64", "--eval-episodes", "3", "--out",
                all.toString());
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode r = new ObjectMapper().readTree(all.resolve("reports").resolve("act.json").toFile());
        assertEquals(attempts.successes().size(), r.path("successes").asInt());
        assertEquals(failures, r.path("failures").asInt());
        assertEquals(3, r.path("evalEpisodes").asInt());
        assertEquals(2, r.path("epochs").size());

        Path sel = dir.resolve("select");
        CliRun s = CliRun.of("select-failures", "--models", all.toString(), "--data", data.toString(), "--task",
                "bounded-push", "--references", "4", "--out", sel.toString());
        assertEquals(0, s.exitCode(), s.toString());
        JsonNode scores = new ObjectMapper().readTree(sel.resolve("failure-scores.json").toFile());
        JsonNode ranked = scores.path("failures");
        assertEquals(failures, ranked.size());
        for (int i = 1; i < ranked.size(); i++) {
            assertTrue(ranked.get(i - 1).path("score").asDouble() <= ranked.get(i).path("score").asDouble(),
                    "sorted by score, lowest first");
        }
        // the three thirds hold different failures, and the lowest holds the lowest-scored ones
        Set<Long> seen = new HashSet<>();
        for (String third : new String[] {"low", "mid", "high"}) {
            for (Episode e : TrainingData.episodes(List.of(sel.resolve(third + ".farl")), Optional.empty())) {
                assertTrue(seen.add(e.header().seed()), "episode of seed " + e.header().seed() + " twice");
            }
        }
        assertEquals(failures, seen.size(), "the thirds cover every failure once");
        Set<Long> low = new HashSet<>();
        TrainingData.episodes(List.of(sel.resolve("low.farl")), Optional.empty()).forEach(e -> low.add(
                e.header().seed()));
        for (int i = 0; i < failures / 3; i++) {
            assertTrue(low.contains(ranked.get(i).path("seed").asLong()), "rank " + i + " is in the lowest third");
        }

        Path retrained = dir.resolve("act-low");
        CliRun again = CliRun.of("train", "act", "--data", data.toString(), "--task", "bounded-push", "--failures",
                "selected", "--failure-data", sel.resolve("low.farl").toString(), "--epochs", "1", "--model-size", "32",
                "--feed-forward", "64", "--eval-episodes", "2", "--out", retrained.toString());
        assertEquals(0, again.exitCode(), again.toString());
        JsonNode r2 = new ObjectMapper().readTree(retrained.resolve("reports").resolve("act.json").toFile());
        assertEquals(failures / 3, r2.path("failures").asInt());
        assertTrue(Files.isDirectory(retrained.resolve("act-policy")));

        CliRun twice = CliRun.of("select-failures", "--models", all.toString(), "--data", data.toString(), "--task",
                "bounded-push", "--out", sel.toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, twice.exitCode(), twice.toString());
        assertTrue(twice.err().contains("exists"), twice.err());
        CliRun wrongData = CliRun.of("select-failures", "--models", retrained.toString(), "--data", data.toString(),
                "--task", "bounded-push", "--out", dir.resolve("select2").toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, wrongData.exitCode(), wrongData.toString());
        assertTrue(wrongData.err().contains("was trained on"), wrongData.err());
    }

    @Test
    void shouldBenchTheSixTrainingSetsFromPretrainedData(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models").resolve("bounded-push").resolve("seed5");
        Path data = models.resolve("data");
        for (String kind : new String[] {"expert", "failure"}) {
            CliRun c = CliRun.of("collect", "--task", "bounded-push", "--kind", kind, "--episodes", "12", "--seed",
                    "5", "--out", data.toString());
            assertEquals(0, c.exitCode(), c.toString());
        }
        // the critic is measured on a pretrained policy's rollouts
        CliRun policy = CliRun.of("train", "policy", "--data", data.toString(), "--task", "bounded-push", "--out",
                models.toString(), "--role", "task", "--bc-epochs", "30", "--improve-steps", "0", "--seed", "5");
        assertEquals(0, policy.exitCode(), policy.toString());
        CliRun rollouts = CliRun.of("collect", "--task", "bounded-push", "--kind", "policy", "--policy",
                models.toString(), "--episodes", "30", "--seed", "500005", "--out", data.toString());
        assertEquals(0, rollouts.exitCode(), rollouts.toString());
        Path out = dir.resolve("bench");
        CliRun run = CliRun.of("bench", "act", "--tasks", "bounded-push", "--seeds", "1", "--first-seed", "5",
                "--models", dir.resolve("models").toString(), "--epochs", "1", "--eval-episodes", "2",
                "--references", "3", "--plain-act", "--critic", "--critic-epochs", "1", "--critic-steps", "5",
                "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode r = new ObjectMapper().readTree(out.resolve("act-bench.json").toFile());
        assertEquals(12, r.path("runs").size(), "six sets, failure-aware and plain");
        assertEquals(12, r.path("table").size());
        int plain = 0;
        Map<String, JsonNode> failureAware = new HashMap<>();
        for (JsonNode x : r.path("runs")) {
            if (x.path("model").asText().equals("plain")) {
                plain++;
                assertEquals(0.0, x.path("config").path("pbScale").asDouble());
                assertEquals(0.0, x.path("config").path("klWeight").asDouble());
            } else {
                failureAware.put(x.path("dataset").asText(), x);
            }
        }
        assertEquals(6, plain);
        assertEquals(Set.of("success", "all", "low", "mid", "high", "random"), failureAware.keySet());
        int failures = failureAware.get("all").path("failures").asInt();
        assertEquals(0, failureAware.get("success").path("failures").asInt());
        for (String set : List.of("low", "mid", "high", "random")) {
            JsonNode x = failureAware.get(set);
            assertEquals(failureAware.get("success").path("successes").asInt(), x.path("successes").asInt());
            assertTrue(x.path("failures").asInt() <= failures / 3 + 1, x.toString());
            assertEquals(5, x.path("config").path("seed").asLong(), "seeded by the run's seed");
        }
        assertTrue(run.out().contains("eval success (pooled)"), run.out());

        // one world model per set, each measured on the same test half of the policy's rollouts
        assertEquals(6, r.path("criticRuns").size());
        assertEquals(6, r.path("criticTable").size());
        Set<Integer> testFailures = new HashSet<>();
        for (JsonNode c : r.path("criticRuns")) {
            JsonNode result = c.path("result");
            int trainFailures = c.path("failures").asInt();
            assertEquals(failureAware.get(c.path("dataset").asText()).path("failures").asInt(), trainFailures);
            assertTrue(result.path("testHalf").path("failures").asInt() > 0, result.toString());
            testFailures.add(result.path("testRecall").path("total").asInt());
            double recall = result.path("testRecall").path("rate").asDouble();
            assertTrue(recall >= 0 && recall <= 1, result.toString());
            assertEquals(result.path("pick").path("horizonSteps").asInt(),
                    result.path("test").path("horizonSteps").asInt(), "the test half uses the calibration's pick");
        }
        assertEquals(1, testFailures.size(), "every set is measured on the same failures: " + testFailures);
        assertTrue(run.out().contains("critic test recall (pooled)"), run.out());
        java.awt.image.BufferedImage chart = javax.imageio.ImageIO.read(out.resolve("act-bench-bounded-push.png")
                .toFile());
        assertTrue(chart != null && chart.getWidth() == 900, "the bench's picture");

        // the same bench again continues from what is finished: every training is reused, none retrained
        CliRun again = CliRun.of("bench", "act", "--tasks", "bounded-push", "--seeds", "1", "--first-seed", "5",
                "--models", dir.resolve("models").toString(), "--epochs", "1", "--eval-episodes", "2",
                "--references", "3", "--plain-act", "--out", out.toString());
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(12, again.out().split("reused the finished training", -1).length - 1, again.out());
        JsonNode r2 = new ObjectMapper().readTree(out.resolve("act-bench.json").toFile());
        assertEquals(r.path("table").toString(), r2.path("table").toString());
        for (int i = 0; i < 12; i++) {
            assertEquals(r.path("runs").get(i).path("directory"), r2.path("runs").get(i).path("directory"));
        }

        CliRun missing = CliRun.of("bench", "act", "--tasks", "bounded-push", "--seeds", "1", "--first-seed", "6",
                "--models", dir.resolve("models").toString(), "--out", out.toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("no demonstrations at"), missing.err());
    }
}
