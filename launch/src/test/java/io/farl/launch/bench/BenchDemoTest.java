package io.farl.launch.bench;

import static io.farl.launch.StrictJson.arrayAt;
import static io.farl.launch.StrictJson.at;
import static io.farl.launch.StrictJson.boolAt;
import static io.farl.launch.StrictJson.doubleAt;
import static io.farl.launch.StrictJson.longAt;
import static io.farl.launch.StrictJson.textAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.farl.controller.session.EpisodeStats;
import io.farl.controller.session.SessionListener;
import io.farl.controller.session.SessionMethod;
import io.farl.launch.FarlCli;
import io.farl.launch.StrictJson;
import io.farl.pipeline.bench.BenchReport;
import io.farl.pipeline.bench.FailureBench;
import io.farl.pipeline.bench.PretrainedModels;
import io.farl.pipeline.bench.RateRatio;
import io.farl.pipeline.bench.Stats;
import io.farl.pipeline.learn.PolicyEvaluation;
import io.farl.pipeline.online.InitModels;
import io.farl.pipeline.online.OnlineRun;
import io.farl.model.api.RecoveryStorage;
import io.farl.robot.sim.TaskId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farl demo} and {@code farl bench failurebench} end to end with tiny pretraining budgets: the demo's
 * summary contract, re-runs over complete and over broken pretraining output, and the bench's JSON (typed, read
 * strictly) whose counts add up, with runs that stay deterministic when they run in parallel.
 */
class BenchDemoTest {
    static final int EVAL = 5;
    static final long STEPS = 250;
    /** Bench runs: past one PPO batch (2,048 steps), so every run updates once and is evaluated after the update. */
    static final long BENCH_STEPS = 2100;

    @TempDir
    static Path dir;
    static Path demo;
    static String demoLog;
    static int demoExit;

    static int cli(StringWriter log, String... args) {
        PrintWriter w = new PrintWriter(log, true);
        return FarlCli.execute(w, w, args);
    }

    static String[] demoArgs() {
        return new String[] {"demo", "--budget", "tiny", "--seeds", "2", "--first-seed", "0", "--steps",
            Long.toString(STEPS), "--eval-episodes", Integer.toString(EVAL), "--parallel", "2", "--out",
            demo.toString()};
    }

    @BeforeAll
    static void runDemo() {
        demo = dir.resolve("demo");
        StringWriter log = new StringWriter();
        demoExit = cli(log, demoArgs());
        demoLog = log.toString();
    }

    @Test
    void shouldWriteTheDemoSummaryWithItsFixedFieldsFirst() throws Exception {
        assertEquals(0, demoExit, demoLog);
        JsonNode s = StrictJson.read(demo.resolve("summary.json"));
        List<String> names = new ArrayList<>();
        s.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("task", "farl", "ppo", "ratio", "ratioCi95"), names.subList(0, 5), names.toString());
        assertEquals("bounded-push", textAt(s, "task"));
        for (String m : List.of("farl", "ppo")) {
            List<String> fields = new ArrayList<>();
            at(s, m).fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("failures", "steps", "evalSuccessBefore", "evalSuccessAfter"), fields.subList(0, 4));
            assertTrue(longAt(s, m, "steps") >= 2 * STEPS, "two seeds of at least " + STEPS + " steps");
            assertTrue(longAt(s, m, "failures") >= 0);
            double before = doubleAt(s, m, "evalSuccessBefore");
            double after = doubleAt(s, m, "evalSuccessAfter");
            assertTrue(before >= 0 && before <= 1 && after >= 0 && after <= 1);
            assertEquals(2 * EVAL, longAt(s, m, "evalEpisodes"));
        }
        assertEquals(doubleAt(s, "farl", "evalSuccessBefore"), doubleAt(s, "ppo", "evalSuccessBefore"),
                "both methods start from the same pretrained policies");
        RateRatio expected = Stats.rateRatio(longAt(s, "farl", "failures"), longAt(s, "farl", "steps"),
                longAt(s, "ppo", "failures"), longAt(s, "ppo", "steps"));
        assertEquals(expected.ratio(), doubleAt(s, "ratio"), 1e-12);
        JsonNode ci = arrayAt(s, 2, "ratioCi95");
        assertEquals(expected.ci95().lo(), ci.get(0).asDouble(), 1e-12);
        assertEquals(expected.ci95().hi(), ci.get(1).asDouble(), 1e-12);
        assertEquals(expected.excludesOne(), boolAt(s, "ratioExcludesOne"));
        assertTrue(demoLog.contains("FARL/PPO failure rate ratio"), demoLog);
        assertTrue(demoLog.contains(boolAt(s, "farlFewerFailures") ? "FARL reduced IR failures"
                : "FARL did NOT reduce IR failures"), demoLog);
        assertTrue(demoLog.contains(boolAt(s, "ratioExcludesOne") ? "the interval excludes 1"
                : "the interval includes 1"), demoLog);
        assertTrue(Files.isRegularFile(demo.resolve("failurebench.json")));
        assertTrue(Files.isDirectory(demo.resolve("plots")));
    }

    @Test
    void shouldRerunTheDemoOverCompleteAndOverBrokenPretraining() throws Exception {
        assertEquals(0, demoExit, demoLog);
        StringWriter again = new StringWriter();
        assertEquals(0, cli(again, demoArgs()), again.toString());
        JsonNode s = StrictJson.read(demo.resolve("summary.json"));
        assertEquals("[\"seed 0: reused\",\"seed 1: reused\"]", at(s, "pretraining").toString());

        // seed 1 as a killed pretraining leaves it (marker not complete), with a stale policy-rollout file; seed 0
        // built under another budget
        Path seed1 = demo.resolve("models").resolve("bounded-push").resolve("seed1");
        Path marker = seed1.resolve(PretrainedModels.MARKER);
        Files.writeString(marker, Files.readString(marker).replace("state=complete", "state=started"));
        Path seed0 = demo.resolve("models").resolve("bounded-push").resolve("seed0");
        Path marker0 = seed0.resolve(PretrainedModels.MARKER);
        Files.writeString(marker0, Files.readString(marker0).replace("budget tiny", "budget other"));
        StringWriter third = new StringWriter();
        assertEquals(0, cli(third, demoArgs()), third.toString());
        s = StrictJson.read(demo.resolve("summary.json"));
        assertEquals("[\"seed 0: rebuilt\",\"seed 1: rebuilt\"]", at(s, "pretraining").toString());
        assertTrue(third.toString().contains("unfinished pretraining"), third.toString());
    }

    @Test
    void shouldRefuseAFolderOfForeignFiles() throws Exception {
        Path foreign = dir.resolve("foreign");
        Path seedDir = foreign.resolve("models").resolve("bounded-push").resolve("seed0");
        Files.createDirectories(seedDir);
        Files.writeString(seedDir.resolve("notes.txt"), "mine");
        StringWriter log = new StringWriter();
        int code = cli(log, "demo", "--budget", "tiny", "--steps", "10", "--out", foreign.toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, code, log.toString());
        assertTrue(Files.exists(seedDir.resolve("notes.txt")), "nothing of the user's is deleted");
    }

    @Test
    void shouldBenchAllMethodsWithCountsThatAddUpAndDeterministicParallelRuns() throws Exception {
        assertEquals(0, demoExit, demoLog);
        Path out = dir.resolve("bench");
        StringWriter log = new StringWriter();
        // the demo's seed-0 models (same task, seed and budget) are reused
        int code = cli(log, "bench", "failurebench", "--tasks", "bounded-push", "--seeds", "1", "--first-seed", "0",
                "--steps", Long.toString(BENCH_STEPS), "--budget", "tiny", "--eval-episodes",
                Integer.toString(EVAL), "--parallel", "2", "--models", demo.resolve("models").toString(), "--out", out.toString());
        assertEquals(0, code, log.toString());
        Path json = out.resolve("failurebench.json");
        BenchReport r = StrictJson.read(json, BenchReport.class);

        assertEquals("failurebench", r.benchmark());
        assertEquals(List.of("farl", "ppo", "farl-filter", "farl-critic", "farl-hold"), r.settings().methods());
        assertEquals(PolicyEvaluation.EVAL_SEED_BASE, r.settings().evalFirstSeed());
        assertEquals(1, r.pretraining().size());
        assertEquals("reused", r.pretraining().get(0).status());
        // what building the reused models took when the demo built them, from their marker
        assertNotNull(r.pretraining().get(0).buildSeconds());
        assertTrue(r.pretraining().get(0).buildSeconds() > r.pretraining().get(0).seconds(), r.pretraining().toString());
        assertNotNull(r.pretraining().get(0).criticEpsilonSafe());
        assertEquals(5, r.runs().size());
        assertEquals(1, r.tasks().size());
        BenchReport.TaskResult task = r.tasks().get(0);
        assertEquals(5, task.methods().size());
        for (BenchReport.MethodResult m : task.methods()) {
            List<BenchReport.RunResult> runs = r.runs().stream().filter(x -> x.method().equals(m.method())).toList();
            assertEquals(1, runs.size());
            BenchReport.RunResult run = runs.get(0);
            assertEquals(run.steps(), m.steps());
            assertEquals(run.failureEpisodes(), m.failureEpisodes());
            assertEquals(run.failureSteps(), m.failureSteps());
            assertEquals(run.episodes(), m.episodes());
            assertEquals(run.successes(), m.successes());
            assertTrue(m.steps() >= BENCH_STEPS);
            assertTrue(run.updates() >= 1, "one PPO batch: " + run);
            assertEquals(Stats.per1000(m.failureEpisodes(), m.steps()), m.failuresPer1000Steps(), 1e-12);
            assertEquals(EVAL, m.evalBefore().episodes());
            assertEquals(EVAL, m.evalAfter().episodes());
            assertEquals(m.evalBefore().episodes(), m.evalBefore().successes() + m.evalBefore().irFailures()
                    + m.evalBefore().timeouts());
            assertEquals(r.pretraining().get(0).eval(), run.evalBefore());
            boolean gated = !m.method().equals("ppo");
            assertEquals(gated, m.gate() != null, m.method());
            if (gated) {
                assertEquals(m.steps(), m.gate().steps());
                assertEquals(m.failureEpisodes(), m.gate().failureEpisodes());
                assertEquals(m.failureEpisodes(), m.gate().failureEpisodesTracked());
                assertTrue(m.gate().warnedFailureEpisodes() <= m.gate().failureEpisodesTracked());
                assertEquals(run.recoverySteps() + run.holdSteps(), m.gate().overrideSteps());
            } else {
                assertNull(run.epsilonSafe());
                assertEquals(0, run.recoverySteps() + run.holdSteps() + run.gateInterventions());
            }
            if (m.method().equals("farl-hold")) {
                assertEquals(0, run.recoverySteps(), "the hold ablation never runs the recovery policy");
            }

            // the per-run report: its episodes add up to the totals
            JsonNode doc = StrictJson.read(out.resolve(run.report()));
            long steps = 0;
            long failures = 0;
            long alarms = 0;
            for (JsonNode e : at(doc, "episodes")) {
                steps += longAt(e, "steps");
                failures += longAt(e, "irFailureSteps") > 0 ? 1 : 0;
                alarms += longAt(e, "alarms");
                assertEquals(longAt(e, "alarms"), at(e, "alarmSteps").size());
            }
            assertEquals(run.steps(), steps);
            assertEquals(run.failureEpisodes(), failures);
            assertEquals(run.steps(), longAt(doc, "totals", "steps"));
            assertEquals(alarms, longAt(doc, "totals", "alarms"));
            if (gated) {
                assertEquals(alarms, m.gate().alarms());
            }
        }
        BenchReport.MethodResult farl = task.methods().get(0);
        BenchReport.MethodResult ppo = task.methods().get(1);
        assertEquals(Stats.rateRatio(farl.failureEpisodes(), farl.steps(), ppo.failureEpisodes(), ppo.steps()),
                task.farlVsPpo());
        assertEquals(task.farlVsPpo(), r.farlVsPpoAllTasks(), "one task: pooled over tasks is the task's ratio");
        assertTrue(log.toString().contains("FARL/PPO IR-failure rate ratio"), log.toString());
        assertTrue(Files.size(out.resolve("curves-bounded-push.png")) > 1000);

        // layouts are those of the seed for every method
        List<JsonNode> firstSeeds = new ArrayList<>();
        for (BenchReport.RunResult run : r.runs()) {
            firstSeeds.add(at(StrictJson.read(out.resolve(run.report())), "episodes").get(0).get("seed"));
        }
        assertTrue(firstSeeds.stream().allMatch(firstSeeds.get(0)::equals), firstSeeds.toString());
        assertEquals(OnlineRun.ONLINE_SEED_BASE, firstSeeds.get(0).asLong());

        assertUntouchedEpisodesRepeatPpo(out, r);

        // the FARL run, alone on this thread, repeats the one that ran next to three others
        InitModels m = InitModels.load(FailureBench.modelsDir(demo.resolve("models"), TaskId.BOUNDED_PUSH, 0));
        OnlineRun.Result alone = OnlineRun.run(m, new OnlineRun.Spec(TaskId.BOUNDED_PUSH, SessionMethod.FARL, 0,
                BENCH_STEPS,
                RecoveryStorage.MASKED, m::worldModelCost, m.epsilonSafe(), null, 0, 0),
                SessionListener.NONE);
        JsonNode parallel = at(StrictJson.read(out.resolve(r.runs().get(0).report())), "episodes");
        assertEquals("farl", r.runs().get(0).method());
        assertEquals(alone.episodes(), StrictJson.MAPPER.convertValue(parallel,
                new com.fasterxml.jackson.core.type.TypeReference<List<EpisodeStats>>() { }));

        // strict reading: a missing field is an error, not a zero
        ObjectNode broken = (ObjectNode) StrictJson.read(json);
        ((ObjectNode) broken.get("runs").get(0)).remove("failureEpisodes");
        assertThrows(Exception.class, () -> StrictJson.MAPPER.treeToValue(broken, BenchReport.class));
        Iterator<String> names = StrictJson.read(json).fieldNames();
        assertEquals("benchmark", names.next());
        assertFalse(log.toString().contains("alarm in HOLD: BOTH_ACTIONS_UNSAFE\n".repeat(AlarmLogThrottle.SHOWN + 1)));
    }

    @Test
    void shouldBenchTheTrainingRewardsFromTheSamePretrainedModels() throws Exception {
        assertEquals(0, demoExit, demoLog);
        Path out = dir.resolve("reward-bench");
        StringWriter log = new StringWriter();
        int code = cli(log, "bench", "reward", "--tasks", "bounded-push", "--seeds", "1", "--first-seed", "0",
                "--steps", Long.toString(BENCH_STEPS), "--budget", "tiny", "--eval-episodes", Integer.toString(EVAL),
                "--parallel", "2", "--models", demo.resolve("models").toString(), "--out", out.toString());
        assertEquals(0, code, log.toString());
        BenchReport r = StrictJson.read(out.resolve("failurebench.json"), BenchReport.class);
        assertEquals(List.of("ppo", "ppo-sparse", "ppo-tw-crl", "ppo-tw-crl-online"), r.settings().methods());
        assertEquals(4, r.runs().size());
        Path seed0 = demo.resolve("models").resolve("bounded-push").resolve("seed0");
        assertTrue(Files.isRegularFile(seed0.resolve("reports").resolve("reward-model.json")),
                "the TW-CRL reward was trained into the pretrained models");
        for (BenchReport.RunResult run : r.runs()) {
            assertTrue(run.updates() >= 1, "one PPO batch: " + run);
            assertNull(run.epsilonSafe(), "no gate: " + run);
        }
        // the online variant refitted the reward to the run's own episodes before each batch reached PPO
        BenchReport.RunResult online = runOf(r, "ppo-tw-crl-online");
        assertEquals(online.updates(), online.rewardRefits().size(), online.toString());
        var refit = online.rewardRefits().get(0);
        assertTrue(refit.onlineSuccesses() + refit.onlineFailures() > 0 && refit.onlineStates() > 0
                && Double.isFinite(refit.mse()), refit.toString());
        assertNull(runOf(r, "ppo-tw-crl").rewardRefits(), "the offline variant keeps its reward");
        // the reward changes only what PPO learns: until the first update the four runs act alike
        JsonNode shaped = at(StrictJson.read(out.resolve(runOf(r, "ppo").report())), "episodes");
        for (String other : List.of("ppo-sparse", "ppo-tw-crl", "ppo-tw-crl-online")) {
            JsonNode eps = at(StrictJson.read(out.resolve(runOf(r, other).report())), "episodes");
            for (int i = 0; i < Math.min(shaped.size(), eps.size()); i++) {
                if (longAt(shaped.get(i), "policyVersion") != 0 || longAt(eps.get(i), "policyVersion") != 0) {
                    break;
                }
                assertEquals(longAt(shaped.get(i), "steps"), longAt(eps.get(i), "steps"), other + " episode " + i);
                assertEquals(at(shaped.get(i), "episodeReturn").asDouble(), at(eps.get(i), "episodeReturn").asDouble(),
                        "the reported return is the task's own: " + other + " episode " + i);
            }
        }
        assertFalse(log.toString().contains("FARL/PPO"), "no FARL run, no ratio line");

        StringWriter bad = new StringWriter();
        assertEquals(FarlCli.EXIT_BAD_INPUT, cli(bad, "bench", "reward", "--methods", "ppo,bc", "--out",
                out.toString()), bad.toString());
        assertTrue(bad.toString().contains("unknown bench method 'bc'"), bad.toString());
    }

    @Test
    void shouldBenchGailAgainstGailfeWithEvaluationsDuringTheRuns() throws Exception {
        assertEquals(0, demoExit, demoLog);
        Path out = dir.resolve("imitation-bench");
        StringWriter log = new StringWriter();
        int code = cli(log, "bench", "imitation", "--tasks", "bounded-push", "--seeds", "1", "--first-seed", "0",
                "--steps", Long.toString(BENCH_STEPS), "--budget", "tiny", "--eval-episodes", Integer.toString(EVAL),
                "--curve-episodes", "3", "--parallel", "2", "--models", demo.resolve("models").toString(), "--out",
                out.toString());
        assertEquals(0, code, log.toString());
        BenchReport r = StrictJson.read(out.resolve("failurebench.json"), BenchReport.class);
        assertEquals(List.of("gail", "gailfe"), r.settings().methods());
        assertEquals(2, r.runs().size());
        for (BenchReport.RunResult run : r.runs()) {
            assertTrue(run.updates() >= 1, "one PPO batch: " + run);
            // one discriminator iteration per PPO batch, before it
            assertEquals(run.updates(), run.discriminator().size(), run.toString());
            var it = run.discriminator().get(0);
            assertEquals(2048, it.batch());
            assertTrue(it.meanReward() > 0 && Double.isFinite(it.meanReward()), "-log D > 0: " + it);
            assertTrue(it.policyD() > 0 && it.policyD() < 1 && it.expertD() > 0 && it.expertD() < 1, it.toString());
            if (run.method().equals("gailfe")) {
                assertTrue(it.lambda() >= 0 && it.failureTrajectories() > 0, "the buffer starts with the failure "
                        + "demonstrations: " + it);
            } else {
                assertEquals(0.0, it.lambda(), "GAIL has no multiplier");
                assertNull(it.failureD(), "GAIL never looks at failures: " + it);
            }
            // the evaluation every fifth of the run: at the first update past 420 steps
            assertEquals(1, run.evalCurve().size(), run.toString());
            assertEquals(3, run.evalCurve().get(0).eval().episodes());
            assertEquals(run.steps() >= 2048, run.evalCurve().get(0).steps() >= 2048);
        }
        assertTrue(log.toString().contains("gail, eval success against steps: 0:"), log.toString());
        assertTrue(log.toString().contains("gailfe/gail IR-failure rate ratio"), log.toString());

        Path trained = dir.resolve("imitation");
        StringWriter tl = new StringWriter();
        assertEquals(0, cli(tl, "train", "imitation", "--method", "gailfe", "--task", "bounded-push", "--init",
                demo.resolve("models").resolve("bounded-push").resolve("seed0").toString(), "--steps", "2100",
                "--eval-episodes", "3", "--eval-every", "0", "--out", trained.toString()), tl.toString());
        JsonNode report = StrictJson.read(trained.resolve("imitation-gailfe-seed0.json"));
        assertEquals("gailfe", at(report, "method").asText());
        assertTrue(at(report, "updates").asLong() >= 1, report.toString());
        assertTrue(at(report, "failureDemonstrations").asInt() > 0, report.toString());
        assertTrue(Files.isDirectory(trained.resolve("task-policy")), "the final policy is written");
        assertTrue(tl.toString().contains("discriminator after 1 iterations"), tl.toString());
        assertFalse(at(report, "resumed").asBoolean());
        // the same command with a larger budget continues from the checkpoint
        StringWriter more = new StringWriter();
        assertEquals(0, cli(more, "train", "imitation", "--method", "gailfe", "--task", "bounded-push", "--init",
                demo.resolve("models").resolve("bounded-push").resolve("seed0").toString(), "--steps", "4200",
                "--eval-episodes", "3", "--eval-every", "0", "--out", trained.toString()), more.toString());
        JsonNode resumed = StrictJson.read(trained.resolve("imitation-gailfe-seed0.json"));
        assertTrue(at(resumed, "resumed").asBoolean(), resumed.toString());
        assertTrue(at(resumed, "updates").asLong() >= 2, resumed.toString());
        assertEquals(at(resumed, "updates").asLong(), at(resumed, "iterations").size(),
                "the iterations before the checkpoint are kept");
        assertTrue(more.toString().contains("(resumed)"), more.toString());
        StringWriter bad = new StringWriter();
        assertEquals(FarlCli.EXIT_BAD_INPUT, cli(bad, "train", "imitation", "--method", "bc", "--task",
                "bounded-push", "--init", trained.toString()), bad.toString());
        assertTrue(bad.toString().contains("--method must be gail or gailfe"), bad.toString());
    }

    /**
     * Until PPO's first update FARL and PPO act with the same pretrained policy and the same exploration noise on the
     * same layouts, so their episodes differ only where FARL's gate intervened: an episode without an intervention
     * repeats PPO's exactly (what makes {@code farl eval-gate}'s pairing sound).
     */
    static void assertUntouchedEpisodesRepeatPpo(Path out, BenchReport r) throws Exception {
        JsonNode farl = at(StrictJson.read(out.resolve(runOf(r, "farl").report())), "episodes");
        JsonNode ppo = at(StrictJson.read(out.resolve(runOf(r, "ppo").report())), "episodes");
        int untouched = 0;
        for (int i = 0; i < Math.min(farl.size(), ppo.size()); i++) {
            JsonNode f = farl.get(i);
            JsonNode p = ppo.get(i);
            if (longAt(f, "policyVersion") != 0 || longAt(p, "policyVersion") != 0) {
                break;
            }
            assertEquals(longAt(p, "seed"), longAt(f, "seed"), "same layout at episode " + i);
            if (longAt(f, "overrideSteps") == 0) {
                untouched++;
                assertEquals(longAt(p, "steps"), longAt(f, "steps"), "episode " + i + " without intervention");
                assertEquals(longAt(p, "irFailureSteps"), longAt(f, "irFailureSteps"), "episode " + i);
                assertEquals(boolAt(p, "success"), boolAt(f, "success"), "episode " + i + " without intervention");
            }
        }
        assertTrue(untouched >= 1, "no episode without an intervention before the first update");
    }

    static BenchReport.RunResult runOf(BenchReport r, String method) {
        return r.runs().stream().filter(x -> x.method().equals(method)).findFirst().orElseThrow();
    }
}
