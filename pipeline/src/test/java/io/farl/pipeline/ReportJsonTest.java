package io.farl.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.farl.controller.session.EpisodeStats;
import io.farl.controller.session.SessionTotals;
import io.farl.model.api.WorldModelConfig;
import io.farl.pipeline.bench.BenchReport;
import io.farl.pipeline.bench.DemoSummary;
import io.farl.pipeline.bench.EvalCurve;
import io.farl.pipeline.bench.EvalResult;
import io.farl.pipeline.bench.GateFigures;
import io.farl.pipeline.bench.Stats;
import io.farl.pipeline.data.DatasetStats;
import io.farl.pipeline.data.Inspector;
import io.farl.pipeline.data.SimBenchReport;
import io.farl.pipeline.learn.EvalReport;
import io.farl.pipeline.learn.PolicyTrainingReport;
import io.farl.pipeline.learn.WorldModelTrainingReport;
import io.farl.pipeline.online.RunReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every report is a record written by {@link Json} and read back strictly into the same record: equal values, the
 * field names the report's readers use, and an error (not a 0) for a missing field.
 */
class ReportJsonTest {
    @TempDir
    Path dir;

    private <T> T roundTrip(T report, Class<T> type) throws IOException {
        Path file = dir.resolve(type.getSimpleName() + ".json");
        Json.write(file, report);
        T back = Json.read(file, type);
        assertEquals(report, back, type.getSimpleName());
        return back;
    }

    private JsonNode tree(Class<?> type) throws IOException {
        return Json.mapper().readTree(dir.resolve(type.getSimpleName() + ".json").toFile());
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static EpisodeStats episode(int i, boolean fail) {
        return new EpisodeStats(i, 1_000_000L + i, 40, 40L * (i + 1), 1.5 * i, !fail, fail ? 1 : 0, false, 3, 1, 2,
                1, 2, 0, 5, fail ? 39 : -1, List.of(30));
    }

    @Test
    void shouldRoundTripTheRunReportWithItsFieldNames() throws IOException {
        List<EpisodeStats> eps = List.of(episode(0, false), episode(1, true));
        RunReport r = new RunReport("bounded-push", "farl", 0, 80, "masked", 0.25, 5, "models", "ppo", false, 2.5, 80,
                32.0, 0, 0, 0, new SessionTotals(2, 80, 0, 1, 1, 1, 6, 2, 4, 10, 2), RunReport.FinalWindow.of(eps),
                GateFigures.of(eps), eps, "farl");
        roundTrip(r, RunReport.class);
        JsonNode n = tree(RunReport.class);
        assertEquals(List.of("task", "method", "seed", "stepBudget", "recoveryStorage", "epsilonSafe", "horizonSteps",
                "init", "learner", "resumed", "wallSeconds", "stepsThisProcess", "stepsPerSecond", "proposalFailures",
                "loopErrors", "learnerRejects", "totals", "final", "gate", "episodes", "benchMethod"), names(n));
        assertEquals(List.of("episodes", "steps", "updates", "successes", "failureEpisodes", "failureSteps",
                "recoverySteps", "gateInterventions", "holdSteps", "overrideSteps", "alarms"), names(n.get("totals")));
        assertEquals(List.of("episodes", "successRate", "meanReturn"), names(n.get("final")));
        assertEquals(0.5, n.get("final").get("successRate").asDouble());

        // finetune's own reports: no bench method; an ungated run has null threshold and gate figures
        RunReport ppo = new RunReport("bounded-push", "ppo", 0, 80, "masked", null, 5, "models", "ppo", true, 2.5,
                80, 32.0, 0, 0, 0, SessionTotals.ZERO, RunReport.FinalWindow.of(List.of()), null, List.of(), null);
        Path file = dir.resolve(RunReport.fileName("ppo", 0));
        Json.write(file, ppo);
        JsonNode p = Json.mapper().readTree(file.toFile());
        assertTrue(p.get("gate").isNull() && p.get("epsilonSafe").isNull() && p.get("benchMethod").isNull());
        assertEquals(ppo, Json.read(file, RunReport.class));
        assertEquals(List.of("ppo seed 0"), new ArrayList<>(RunReport.readAll(dir).keySet()));
    }

    @Test
    void shouldRefuseAReportWithAMissingOrUnknownField() throws IOException {
        EvalReport r = new EvalReport("bounded-push", 2, 7, true, List.of(new EvalReport.Row("scripted expert", 2, 2,
                0, 0, Double.NaN, 40), new EvalReport.Row("task-policy/v000001 (bc)", 2, 1, 1, 0, 3.5, 41)));
        roundTrip(r, EvalReport.class);
        ObjectNode n = (ObjectNode) tree(EvalReport.class);
        ((ObjectNode) n.get("rows").get(1)).remove("irFailures");
        assertThrows(IOException.class, () -> Json.strictMapper().treeToValue(n, EvalReport.class));
        ObjectNode extra = (ObjectNode) tree(EvalReport.class);
        extra.put("surprise", 1);
        assertThrows(IOException.class, () -> Json.strictMapper().treeToValue(extra, EvalReport.class));
    }

    @Test
    void shouldRoundTripTheTrainingAndBenchmarkReports() throws IOException {
        List<Map<String, Double>> epochs = List.of(Map.of("loss", 1.0), Map.of("loss", 0.5));
        roundTrip(new PolicyTrainingReport("bounded-push", "task", new PolicyTrainingReport.Stage("m/v000001", epochs,
                null), new PolicyTrainingReport.Stage("m/v000002", epochs, Map.of("offPolicyEstimateFinal", 2.0))),
                PolicyTrainingReport.class);
        PolicyTrainingReport bcOnly = new PolicyTrainingReport("bounded-push", "recovery",
                new PolicyTrainingReport.Stage("m/v000001", epochs, null), null);
        Json.write(dir.resolve("PolicyTrainingReport.json"), bcOnly);
        JsonNode n = tree(PolicyTrainingReport.class);
        assertEquals(List.of("task", "role", "bc", "improved"), names(n));
        assertTrue(n.get("improved").isNull(), "no improvement");
        assertEquals(List.of("model", "epochs", "metrics"), names(n.get("bc")));
        assertEquals(bcOnly, Json.read(dir.resolve("PolicyTrainingReport.json"), PolicyTrainingReport.class));

        WorldModelConfig config = WorldModelConfig.builder(39, 4).build();
        roundTrip(new WorldModelTrainingReport("bounded-push", "m/world-model/v000001", config, Map.of("heldOutLoss",
                0.1), epochs), WorldModelTrainingReport.class);

        roundTrip(new SimBenchReport("sim", "17", 2, List.of(new SimBenchReport.Row("bounded-push", "expert", 10, 0,
                9, 1, 0, 0, 80.5, 5000, true))), SimBenchReport.class);

        roundTrip(new Inspector.Report(List.of(new Inspector.FileSummary("a.farl", 3, 0, 1, 2048)), List.of(
                new DatasetStats.Row("bounded-push", "expert", 3, Map.of("success", 3L), 0, 38, 40, 40, 42)),
                List.of("a.png")), Inspector.Report.class);

        EvalResult eval = EvalResult.of(10, 900_000, 6, 2, 2);
        BenchReport.MethodResult farl = new BenchReport.MethodResult("farl", 1, 5, 1000, 1, 1, 1.0, 3, eval, eval,
                GateFigures.of(List.of(episode(0, true))), 2.0,
                List.of(new EvalCurve.Pooled(1, 512.0, eval)));
        BenchReport.MethodResult ppo = new BenchReport.MethodResult("ppo", 1, 5, 1000, 4, 4, 4.0, 3, eval, eval,
                null, 2.0, null);
        BenchReport bench = new BenchReport("failurebench", new BenchReport.Settings(List.of("bounded-push"),
                List.of("farl", "ppo"), 0, 1, 1000, 1, 1, "tiny", 10, 900_000, 2, "1", "episodes", "poisson"),
                List.of(new BenchReport.TaskResult("bounded-push", List.of(farl, ppo), Stats.rateRatio(1, 1000, 4,
                        1000))), Stats.rateRatio(1, 1000, 4, 1000), List.of(new BenchReport.PretrainingResult(
                                "bounded-push", 0, "models", "built", 3.0, 3.0, 0.2, null, eval)),
                List.of(), 5.0, 2);
        roundTrip(bench, BenchReport.class);
        roundTrip(DemoSummary.of(bench, 0, 5.0), DemoSummary.class);
        assertEquals(List.of("task", "farl", "ppo", "ratio", "ratioCi95"), names(tree(DemoSummary.class))
                .subList(0, 5));
    }
}
