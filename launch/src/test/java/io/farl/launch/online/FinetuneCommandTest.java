package io.farl.launch.online;

import static io.farl.launch.StrictJson.at;
import static io.farl.launch.StrictJson.boolAt;
import static io.farl.launch.StrictJson.longAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.farl.launch.BadInputException;
import io.farl.launch.FarlCli;
import io.farl.launch.FinetuneCommand;
import io.farl.launch.StrictJson;
import io.farl.pipeline.PipelineInputException;
import io.farl.pipeline.learn.Pretraining;
import io.farl.pipeline.online.RunReport;
import io.farl.robot.sim.TaskId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code farl finetune} end to end on tiny real models trained on a tiny real collected dataset. */
class FinetuneCommandTest {
    @TempDir
    static Path dir;
    static Path init;

    @BeforeAll
    static void buildInit() throws Exception {
        init = dir.resolve("models").resolve("bounded-push");
        PrintWriter quiet = new PrintWriter(new StringWriter());
        Pretraining.run(TaskId.BOUNDED_PUSH, init.resolve("data"), init, Pretraining.Budget.tiny(), 1,
                (stage, o) -> FarlCli.execute(o, o, stage), quiet, quiet);
    }

    static int run(StringWriter out, String... args) {
        CommandLine cli = new CommandLine(new FinetuneCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        cli.setExecutionExceptionHandler((ex, c, p) -> {
            if (ex instanceof BadInputException || ex instanceof PipelineInputException) {
                out.write("bad input: " + ex.getMessage());
                return FarlCli.EXIT_BAD_INPUT;
            }
            throw ex;
        });
        return cli.execute(args);
    }

    @Test
    void shouldFinetuneWithBothMethodsWriteReportsAndCurvesAndResume() throws Exception {
        Path out = dir.resolve("out");
        StringWriter log = new StringWriter();
        String[] common = {"--task", "bounded-push", "--init", init.toString(), "--out", out.toString(), "--quiet"};
        assertEquals(0, run(log, concat(common, "--method", "farl", "--steps", "300")), log.toString());
        assertEquals(0, run(log, concat(common, "--method", "ppo", "--steps", "300")), log.toString());

        JsonNode farl = StrictJson.read(out.resolve(RunReport.fileName("farl", 0)));
        JsonNode ppo = StrictJson.read(out.resolve(RunReport.fileName("ppo", 0)));
        assertTrue(longAt(farl, "totals", "steps") >= 300, farl.toString());
        assertEquals(0, longAt(ppo, "totals", "recoverySteps"), "ppo never hands over");
        assertEquals(0, longAt(ppo, "totals", "gateInterventions"));
        assertEquals(0, longAt(farl, "loopErrors"));
        assertEquals(0, longAt(farl, "proposalFailures"));
        long failures = 0;
        for (JsonNode e : at(farl, "episodes")) {
            failures += longAt(e, "irFailureSteps") > 0 ? 1 : 0;
        }
        assertEquals(failures, longAt(farl, "totals", "failureEpisodes"));
        long alarms = 0;
        for (JsonNode e : at(farl, "episodes")) {
            alarms += longAt(e, "alarms");
            assertEquals(longAt(e, "alarms"), at(e, "alarmSteps").size(), "one step per alarm stretch");
            assertEquals(longAt(e, "irFailureSteps") > 0 ? longAt(e, "steps") - 1 : -1, longAt(e, "failureStep"));
        }
        assertEquals(alarms, longAt(farl, "totals", "alarms"));
        assertEquals(alarms, longAt(farl, "gate", "alarms"));
        assertEquals(longAt(farl, "totals", "steps"), longAt(farl, "gate", "steps"));
        assertTrue(ppo.has("gate") && ppo.get("gate").isNull(), "no gate figures without a gate");
        assertTrue(Files.size(out.resolve("curves.png")) > 1000);
        assertEquals(longAt(at(ppo, "episodes").get(0), "seed"), longAt(at(farl, "episodes").get(0), "seed"),
                "both methods see the same layouts");

        // Same command with a larger budget: resumes, keeps the episodes already run.
        assertEquals(0, run(log, concat(common, "--method", "farl", "--steps", "600")), log.toString());
        JsonNode more = StrictJson.read(out.resolve(RunReport.fileName("farl", 0)));
        assertTrue(boolAt(more, "resumed"));
        assertTrue(longAt(more, "totals", "steps") >= 600);
        assertEquals(at(farl, "episodes").get(0), at(more, "episodes").get(0));
        assertTrue(at(more, "episodes").size() > at(farl, "episodes").size());
        assertEquals(longAt(farl, "totals", "steps"), longAt(at(more, "episodes")
                .get(at(farl, "episodes").size() - 1), "totalSteps"), "no episode was run twice");
    }

    /**
     * A real child process is killed with SIGKILL once it has written checkpoints; the same command then resumes
     * from the newest complete checkpoint, runs no episode twice, and the episodes before the first policy update
     * (which depend on the seeds only) are those of an uninterrupted run.
     */
    @Test
    void shouldResumeAfterKillNineWithoutRunningAnEpisodeTwice() throws Exception {
        Path killed = dir.resolve("killed");
        Path whole = dir.resolve("whole");
        String[] args = {"finetune", "--task", "bounded-push", "--init", init.toString(), "--method", "farl",
            "--steps", "2500", "--checkpoint-episodes", "2", "--quiet"};
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin.toString(),
                "--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), "io.farl.launch.FarlCli"));
        command.addAll(java.util.List.of(args));
        command.addAll(java.util.List.of("--out", killed.toString()));
        Files.createDirectories(killed);
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(killed.resolve("child.log").toFile()).start();
        Path ckpts = killed.resolve("checkpoints").resolve("farl-seed0");
        long deadline = System.nanoTime() + 120_000_000_000L;
        try {
            while (System.nanoTime() < deadline && child.isAlive() && countCheckpoints(ckpts) < 2) {
                Thread.sleep(20);
            }
            assertTrue(child.isAlive(), "the child finished before it could be killed; see " + killed);
            child.destroyForcibly().waitFor();
        } finally {
            child.destroyForcibly();
        }
        assertTrue(countCheckpoints(ckpts) >= 1);

        StringWriter log = new StringWriter();
        String[] common = java.util.Arrays.copyOfRange(args, 1, args.length);
        assertEquals(0, run(log, concat(common, "--out", killed.toString())), log.toString());
        assertEquals(0, run(log, concat(common, "--out", whole.toString())), log.toString());
        JsonNode resumed = StrictJson.read(killed.resolve(RunReport.fileName("farl", 0)));
        JsonNode uninterrupted = StrictJson.read(whole.resolve(RunReport.fileName("farl", 0)));
        assertTrue(boolAt(resumed, "resumed"), resumed.toString());
        assertTrue(longAt(resumed, "totals", "steps") >= 2500);
        long total = 0;
        for (int i = 0; i < at(resumed, "episodes").size(); i++) {
            JsonNode e = at(resumed, "episodes").get(i);
            assertEquals(i, longAt(e, "index"), "episodes are contiguous");
            total += longAt(e, "steps");
            assertEquals(total, longAt(e, "totalSteps"), "no episode was run twice or lost");
            if (longAt(e, "policyVersion") == 0) {
                assertEquals(at(uninterrupted, "episodes").get(i), e, "episode " + i);
            }
        }
    }

    private static long countCheckpoints(Path root) throws java.io.IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (var s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).count();
        }
    }

    @Test
    void shouldFinetuneOnTheSparseRewardAndRefuseAMissingLearnedOne() {
        StringWriter log = new StringWriter();
        int code = run(log, "--task", "bounded-push", "--init", init.toString(), "--steps", "200", "--method", "ppo",
                "--reward", "sparse", "--quiet", "--out", dir.resolve("sparse").toString());
        assertEquals(0, code, log.toString());
        StringWriter missing = new StringWriter();
        code = run(missing, "--task", "bounded-push", "--init", init.toString(), "--steps", "200", "--method", "ppo",
                "--reward", init.toString(), "--out", dir.resolve("learned").toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, code, missing.toString());
        assertTrue(missing.toString().contains("no learned reward under " + init), missing.toString());
    }

    @Test
    void shouldRefitALearnedRewardToTheRunsOwnEpisodes() {
        Path rewardDir = dir.resolve("reward");
        var data = io.farl.pipeline.learn.TrainingData.transitions(io.farl.pipeline.learn.TrainingData.episodes(
                java.util.List.of(init.resolve("data")), java.util.Optional.of("bounded-push")));
        var config = new io.farl.model.api.RewardModelConfig(data.observationSize(), 16, 2, 8, true, 3, 256, 1e-3,
                0.2, 1);
        io.farl.pipeline.online.DjlThread.call(() -> {
            try {
                return io.farl.pipeline.learn.RewardTraining.run("bounded-push", data, config,
                        new io.farl.pipeline.learn.ModelBundle(rewardDir), io.farl.pipeline.learn.StageProgress.NONE,
                        new PrintWriter(java.io.Writer.nullWriter()), java.util.Optional.empty());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        StringWriter log = new StringWriter();
        int code = run(log, "--task", "bounded-push", "--init", init.toString(), "--steps", "2200", "--method", "ppo",
                "--reward", rewardDir.toString(), "--reward-refit", init.resolve("data").toString(), "--quiet",
                "--out", dir.resolve("refit").toString());
        assertEquals(0, code, log.toString());
        assertTrue(log.toString().contains("learned reward refitted 1 time"), log.toString());

        StringWriter bad = new StringWriter();
        code = run(bad, "--task", "bounded-push", "--init", init.toString(), "--steps", "200", "--method", "ppo",
                "--reward", "sparse", "--reward-refit", init.resolve("data").toString(), "--out",
                dir.resolve("refit-bad").toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, code, bad.toString());
        assertTrue(bad.toString().contains("--reward-refit needs a learned --reward"), bad.toString());
    }

    @Test
    void shouldRejectAnInitDirectoryWithoutModels() {
        StringWriter log = new StringWriter();
        int code = run(log, "--task", "bounded-push", "--init", dir.resolve("nothing").toString(), "--steps", "10",
                "--out", dir.resolve("o2").toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, code, log.toString());
        assertTrue(log.toString().contains("nothing"), log.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
