package io.farl.launch.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.controller.deploy.RunReport;
import io.farl.launch.FarlCli;
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
    @TempDir
    static Path shared;

    /** Tiny pretrained models, built once for the class. */
    private static synchronized Path models() {
        Path models = shared.resolve("models");
        if (!java.nio.file.Files.exists(models.resolve("calibration.properties"))) {
            StringWriter log = new StringWriter();
            assertEquals(0, GatePreventsFailuresTest.cli(log, "pretrain", "--task", "bounded-push", "--data",
                    shared.resolve("data").toString(), "--models", models.toString(), "--seed", "0", "--budget-spec",
                    "60,0.3,tiny,4,100,20,200,4"), log.toString());
        }
        return models;
    }

    @Test
    void shouldRunTheRequestedEpisodesAndEndWithAFinalHold(@TempDir Path dir) throws Exception {
        Path models = models();
        StringWriter log = new StringWriter();
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
        // The simulator hands each observation to the policy thread as soon as it has stepped, a period before the
        // loop acts on it, so the steps act on proposals for their own observation (not the one before).
        RunReport.ProposalAge age = r.proposalAge();
        long acted = age.current() + age.previous() + age.older();
        assertTrue(acted > 0 && age.current() * 5 >= acted * 4, "proposals for the step's own observation: " + age);

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
        assertTrue(recorded.stream().flatMap(e -> e.steps().stream()).anyMatch(st -> st.reward() != 0),
                "each step's reward is computed from its observations");
        assertEquals(null, r.learning(), "no learning without --finetune");

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
        // Every observation is older than the 1 µs age limit, so the run holds from its first period on (a run
        // whose first proposal is ready in time would otherwise never hold); the episode bound keeps a run that
        // failed to latch short.
        Path config = dir.resolve("robot.yaml");
        java.nio.file.Files.writeString(config,
                "supervisor:\n  max_hold_ms: 1\nwatchdog:\n  max_observation_age_ms: 0.001\n");
        Path stopped = dir.resolve("stopped");
        assertEquals(0, GatePreventsFailuresTest.cli(log, "run", "--robot", "sim", "--models", models.toString(),
                "--config", config.toString(), "--episodes", "20", "--max-episode-steps", "20", "--out",
                stopped.toString()), log.toString());
        RunReport s = StrictJson.read(stopped.resolve("run.json"), RunReport.class);
        System.out.println("run.json after a latch: " + s);
        assertEquals("stopped", s.endedBy(), s.toString());
        assertEquals("HOLD_TIMEOUT", s.supervisorCause());
        assertTrue(s.episodes() < 20 && s.finalHolds() >= 1, s.toString());
    }

    @Test
    void shouldDeployWithoutDjlOrLibtorchOnTheClassPath(@TempDir Path dir) throws Exception {
        // A robot PC runs the gate, both policies and the envelope from the model directories alone: the same
        // command in a JVM whose class path lacks DJL, the PyTorch engine and its native library.
        Path models = models();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> kept = java.util.Arrays.stream(cp.split(java.io.File.pathSeparator))
                .filter(e -> !e.contains("/ai/djl/") && !e.contains("world-model-djl")).toList();
        assertTrue(kept.size() < cp.split(java.io.File.pathSeparator).length, "DJL was on the test class path");
        Path out = dir.resolve("run");
        Path log = dir.resolve("run.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(java.io.File.pathSeparator, kept), "io.farl.launch.FarlCli", "run", "--robot",
                "sim", "--models", models.toString(), "--task", "bounded-push", "--episodes", "1",
                "--max-episode-steps", "20", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "farl run did not end");
        } finally {
            p.destroyForcibly();
        }
        String printed = java.nio.file.Files.readString(log);
        assertEquals(0, p.exitValue(), printed);
        RunReport r = StrictJson.read(out.resolve("run.json"), RunReport.class);
        assertEquals(1, r.episodes(), r.toString());
        assertTrue(r.taskSteps() + r.recoverySteps() > 0, r.toString());
    }

    @Test
    void shouldKeepLearningWhileDeployedAndResumeWithThePolicyItReached(@TempDir Path dir) throws Exception {
        Path models = models();
        StringWriter log = new StringWriter();
        Path out = dir.resolve("run");
        String[] args = {"run", "--robot", "sim", "--models", models.toString(), "--task", "bounded-push",
            "--episodes", "4", "--max-episode-steps", "20", "--finetune", "--ppo-batch", "24", "--out",
            out.toString()};
        assertEquals(0, GatePreventsFailuresTest.cli(log, args), log.toString());
        RunReport r = StrictJson.read(out.resolve("run.json"), RunReport.class);
        System.out.println("run.json with --finetune: " + r);
        assertEquals(4, r.episodes(), r.toString());
        io.farl.controller.deploy.OnlineLearning.Stats l = r.learning();
        assertTrue(l.updates() >= 1 && l.policyVersion() >= 1, "PPO updated during the run: " + l);
        assertTrue(l.policiesSwapped() >= 1, "a new version acted: " + l);
        assertEquals(0, l.snapshotsRejected());
        assertTrue(l.stepsOffered() >= 24, l.toString());
        assertTrue(l.checkpoints() >= 1, l.toString());
        List<Episode> recorded = DatasetReader.readAll(out.resolve("run.farl"));
        assertTrue(recorded.stream().flatMap(e -> e.steps().stream()).anyMatch(st -> st.policyVersion() >= 1),
                "steps acted by a fine-tuned version are recorded as such");

        // The same command again resumes the learner and acts with the version it had reached.
        args[8] = "1";
        assertEquals(0, GatePreventsFailuresTest.cli(log, args), log.toString());
        RunReport again = StrictJson.read(out.resolve("run.json"), RunReport.class);
        System.out.println("run.json, resumed: " + again);
        assertTrue(again.learning().resumedFrom() != null, again.toString());
        List<Episode> all = DatasetReader.readAll(out.resolve("run.farl"));
        Episode resumed = all.get(recorded.size());
        long first = resumed.steps().stream().filter(st -> st.mode() == Episode.Mode.TASK)
                .mapToLong(Episode.Step::policyVersion).findFirst().orElse(-1);
        assertEquals(l.policyVersion(), first, "the resumed run acts with the version the first one reached");

        // a training reward applies only while learning, and a learned one must exist
        StringWriter bad = new StringWriter();
        assertEquals(FarlCli.EXIT_BAD_INPUT, GatePreventsFailuresTest.cli(bad, "run", "--robot", "sim", "--models",
                models.toString(), "--task", "bounded-push", "--episodes", "1", "--reward", "sparse", "--out",
                dir.resolve("r2").toString()), bad.toString());
        assertTrue(bad.toString().contains("--reward only applies with --finetune"), bad.toString());
        StringWriter missing = new StringWriter();
        assertEquals(FarlCli.EXIT_BAD_INPUT, GatePreventsFailuresTest.cli(missing, "run", "--robot", "sim",
                "--models", models.toString(), "--task", "bounded-push", "--episodes", "1", "--finetune", "--reward",
                dir.resolve("no-reward").toString(), "--out", dir.resolve("r3").toString()), missing.toString());
        assertTrue(missing.toString().contains("no learned reward under"), missing.toString());
    }

    @Test
    void shouldImitateDemonstrationsWithGailfeWhileDeployedAndResume(@TempDir Path dir) throws Exception {
        Path models = models();
        Path demos = shared.resolve("data");
        StringWriter log = new StringWriter();
        Path out = dir.resolve("run");
        String[] args = {"run", "--robot", "sim", "--models", models.toString(), "--task", "bounded-push",
            "--episodes", "4", "--max-episode-steps", "20", "--finetune", "--ppo-batch", "24", "--reward", "gailfe",
            "--demonstrations", demos.toString(), "--out", out.toString()};
        assertEquals(0, GatePreventsFailuresTest.cli(log, args), log.toString());
        RunReport r = StrictJson.read(out.resolve("run.json"), RunReport.class);
        io.farl.controller.deploy.OnlineLearning.Stats l = r.learning();
        assertTrue(l.updates() >= 1 && l.policyVersion() >= 1, "PPO updated on the discriminator's reward: " + l);
        assertTrue(l.checkpoints() >= 1, l.toString());
        try (var files = java.nio.file.Files.walk(out.resolve("learning").resolve("checkpoints"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("discriminator")),
                    "the checkpoint holds the discriminator beside PPO");
        }
        args[8] = "1";
        assertEquals(0, GatePreventsFailuresTest.cli(log, args), log.toString());
        RunReport again = StrictJson.read(out.resolve("run.json"), RunReport.class);
        assertTrue(again.learning().resumedFrom() != null, again.toString());

        StringWriter none = new StringWriter();
        assertEquals(FarlCli.EXIT_BAD_INPUT, GatePreventsFailuresTest.cli(none, "run", "--robot", "sim", "--models",
                models.toString(), "--task", "bounded-push", "--episodes", "1", "--finetune", "--reward", "gail",
                "--out", dir.resolve("r2").toString()), none.toString());
        assertTrue(none.toString().contains("gail imitates demonstrations"), none.toString());
        StringWriter stray = new StringWriter();
        assertEquals(FarlCli.EXIT_BAD_INPUT, GatePreventsFailuresTest.cli(stray, "run", "--robot", "sim",
                "--models", models.toString(), "--task", "bounded-push", "--episodes", "1", "--finetune",
                "--demonstrations", demos.toString(), "--out", dir.resolve("r3").toString()), stray.toString());
        assertTrue(stray.toString().contains("--demonstrations only applies with the training signal gail or gailfe"),
                stray.toString());
    }

    @Test
    void shouldNameTheBrokerItCannotReachAndExitTwo(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        StringWriter log = new StringWriter();
        int code = GatePreventsFailuresTest.cli(log, "run", "--robot", "mqtt", "--broker", "tcp://127.0.0.1:" + port,
                "--robot-id", "nowhere", "--models", models().toString(), "--episodes", "1", "--out",
                dir.resolve("run").toString());
        assertEquals(2, code, log.toString());
        assertTrue(log.toString().contains("cannot reach the robot over --robot mqtt"), log.toString());
        assertTrue(log.toString().contains("nowhere"), "names the robot id: " + log);
    }
}
