package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.controller.deploy.RunReport;
import io.farl.controller.remote.RemoteProposalSource;
import io.farl.robot.mqtt.MosquittoBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote inference through a real Debian mosquitto: {@code farl serve} in one process answers {@code farl run
 * --robot mqtt --inference remote}, which drives {@code farl sim-robot --transport mqtt} in a third. Killing the server
 * mid-run leaves the robot side on its local fallback (counted, the circuit opens); a restarted server is used again.
 */
class RemoteInferenceIT {
    private static final String ROBOT = "sim1";
    private static final Path HOME = Path.of("target", "mqtt-it", "RemoteInferenceIT").toAbsolutePath();

    private MosquittoBroker broker;
    private ChildProcesses processes;

    @BeforeEach
    void start() throws Exception {
        processes = new ChildProcesses(HOME, Map.of());
        broker = new MosquittoBroker(Files.createDirectories(HOME.resolve("broker")), false);
        broker.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (processes != null) {
            processes.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private Process serve(Path models, Path report, String logName) throws Exception {
        Files.deleteIfExists(report);
        Process p = processes.java("io.farl.launch.FarlCli", List.of("serve", "--broker", broker.uri(), "--models",
                models.toString(), "--robots", ROBOT, "--report", report.toString()), logName);
        assertTrue(processes.awaitLog(logName, "serve ready", 60), "farl serve did not start; see " + logName
                + ".log");
        return p;
    }

    private Process simRobot() throws Exception {
        Process p = processes.java("io.farl.launch.FarlCli", List.of("sim-robot", "--transport", "mqtt", "--task",
                "bounded-push", "--broker", broker.uri(), "--robot-id", ROBOT, "--command-timeout", "300",
                "--max-episode-steps", "20"), "sim-robot");
        assertTrue(processes.awaitLog("sim-robot", "sim-robot ready", 60), "sim-robot did not start; see its log");
        return p;
    }

    private List<String> runArgs(Path models, int episodes, Path out) {
        return List.of("run", "--robot", "mqtt", "--broker", broker.uri(), "--robot-id", ROBOT, "--models",
                models.toString(), "--task", "bounded-push", "--episodes", Integer.toString(episodes), "--inference",
                "remote", "--fallback", "recovery", "--out", out.toString());
    }

    @Test
    void shouldBenchRemoteInferenceThroughTheBroker() throws Exception {
        Path models = RunMqttIT.models(HOME);
        Path json = HOME.resolve("bench-remote.json");
        Files.deleteIfExists(json);
        StringWriter log = new StringWriter();
        PrintWriter w = new PrintWriter(log, true);
        assertEquals(0, FarlCli.execute(w, w, "bench", "remote", "--broker", broker.uri(), "--models",
                models.toString(), "--rates", "50", "--robots", "2", "--seconds", "1", "--warmup-seconds", "1",
                "--json", json.toString()), log.toString());
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, r.path("latency").size(), "1 and 4 robots at 50 Hz: " + r);
        assertEquals(2, r.path("batching").size(), "2 robots, batching on and off: " + r);
        for (JsonNode row : r.path("latency")) {
            long decisions = row.path("decisions").asLong();
            assertTrue(decisions >= 40 * row.path("robots").asLong(), "about 50 per robot in 1 s: " + row);
            assertEquals(decisions, row.path("remoteDecisions").asLong() + row.path("fallbacks").asLong(),
                    row.toString());
        }
        JsonNode off = r.path("batching").get(1);
        assertEquals(1, off.path("maxBatch").asInt());
        assertTrue(off.path("meanBatchSize").asDouble() <= 1.0, "batching off evaluates one at a time: " + off);
    }

    @Test
    void shouldDecideOnTheServerAndFallBackLocallyWhileItIsGone() throws Exception {
        Path models = RunMqttIT.models(HOME);
        Path serveReport = HOME.resolve("serve.json");
        Process server = serve(models, serveReport, "serve");
        simRobot();

        // 1. the server answers every request in time
        Path out = HOME.resolve("run");
        StringWriter log = new StringWriter();
        PrintWriter w = new PrintWriter(log, true);
        assertEquals(0, FarlCli.execute(w, w, runArgs(models, 3, out).toArray(String[]::new)), log.toString());
        RunReport run = new ObjectMapper().readValue(out.resolve("run.json").toFile(), RunReport.class);
        System.out.println("farl run --inference remote: " + run);
        RemoteProposalSource.Stats remote = run.remote();
        assertEquals(3, run.episodes());
        assertTrue(remote.remoteDecisions() >= 0.9 * run.steps(), "most steps decided remotely: " + remote);
        assertTrue(remote.fallbacks() <= 0.1 * run.steps(), remote.toString());
        assertEquals(0, remote.circuitOpenings(), remote.toString());
        assertTrue(remote.remoteP50Nanos() > 0 && remote.remoteP99Nanos() < remote.deadlineNanos(), remote.toString());

        // 2. the server dies mid-run and comes back: the robot side falls back, opens the circuit, and returns
        Path out2 = HOME.resolve("run2");
        Process child = processes.java("io.farl.launch.FarlCli", runArgs(models, 1000, out2), "farl-run");
        Thread.sleep(4000);
        server.destroyForcibly();
        server.waitFor();
        Thread.sleep(4000);
        Path serveReport2 = HOME.resolve("serve2.json");
        Process server2 = serve(models, serveReport2, "serve2");
        Thread.sleep(5000);
        ChildProcesses.stop(child);
        ChildProcesses.stop(server2);
        assertTrue(Files.exists(out2.resolve("run.json")), "farl run wrote no report; see farl-run.log");
        RunReport run2 = new ObjectMapper().readValue(out2.resolve("run.json").toFile(), RunReport.class);
        System.out.println("farl run with the server killed and restarted: " + run2);
        RemoteProposalSource.Stats r2 = run2.remote();
        assertTrue(r2.fallbacksByCause().getOrDefault("deadline", 0L) >= 1, r2.toString());
        assertTrue(r2.circuitOpenings() >= 1, "the circuit opened while the server was gone: " + r2);
        assertTrue(r2.fallbacksByCause().getOrDefault("circuit_open", 0L) >= 10, r2.toString());
        assertEquals(r2.fallbacks(), r2.fallbackProposals(), "the recovery fallback proposed every time");
        assertEquals("closed", r2.circuitState(), "the restarted server closed the circuit again: " + r2);
        assertTrue(run2.recoverySteps() + run2.holdSteps() >= r2.fallbacks() / 2,
                "fallback steps ran the recovery policy or held, not the task policy: " + run2);
        JsonNode s2 = new ObjectMapper().readTree(serveReport2.toFile());
        assertTrue(s2.path("server").path("answered").asLong() >= 10, "the restarted server answered: " + s2);
        // a period the control thread itself missed is an OS scheduling matter on these two shared cores (the server,
        // the robot and the broker beside it); what the link must not do is hold the control thread up: at most 1 %
        assertTrue(run2.missedDeadlines() * 100 <= run2.steps(), "the link held the control thread up: " + run2);
    }
}
