package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.controller.deploy.RunReport;
import io.farl.pipeline.Folders;
import io.farl.robot.api.BridgeCounters;
import io.farl.robot.api.Observation;
import io.farl.robot.mqtt.Decoded;
import io.farl.robot.mqtt.EStopSignal;
import io.farl.robot.mqtt.MosquittoBroker;
import io.farl.robot.mqtt.MqttTopics;
import io.farl.robot.mqtt.ProtoCodec;
import io.farl.robot.sim.FaultInjection;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.SimRobot;
import io.farl.robot.sim.TaskId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code farl run --robot mqtt} with tiny pretrained models drives {@code farl sim-robot --transport mqtt} in another
 * process through a real Debian mosquitto: both sides count the same episodes; a {@code farl run} process killed with
 * SIGKILL leaves the arm stopped by the sim-robot's deadman; the robot's e-stop on its MQTT topic ends a run.
 */
class RunMqttIT {
    private static final int TIMEOUT_MS = 300;
    private static final String ROBOT = "sim1";
    private static final Path HOME = Path.of("target", "mqtt-it", "RunMqttIT").toAbsolutePath();

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

    private static int cli(StringWriter log, String... args) {
        PrintWriter w = new PrintWriter(log, true);
        return FarlCli.execute(w, w, args);
    }

    private static Path models() {
        return models(HOME);
    }

    /** Tiny pretrained bounded-push models under {@code home/models}, trained once and reused. */
    static Path models(Path home) {
        Path models = home.resolve("models");
        if (!Files.isDirectory(models.resolve("task-policy"))) {
            StringWriter log = new StringWriter();
            assertEquals(0, cli(log, "pretrain", "--task", "bounded-push", "--data", home.resolve("data").toString(),
                    "--models", models.toString(), "--seed", "0", "--budget-spec", "60,0.3,tiny,4,100,20,200,4"),
                    log.toString());
        }
        return models;
    }

    private Process simRobot(Path report) throws Exception {
        Files.deleteIfExists(report);
        Process p = processes.java("io.farl.launch.FarlCli", List.of("sim-robot", "--transport", "mqtt", "--task",
                "bounded-push", "--broker", broker.uri(), "--robot-id", ROBOT, "--command-timeout",
                Integer.toString(TIMEOUT_MS), "--max-episode-steps", "20", "--report", report.toString()),
                "sim-robot");
        assertTrue(processes.awaitLog("sim-robot", "sim-robot ready", 60), "sim-robot did not start; see its log");
        return p;
    }

    private List<String> runArgs(Path models, int episodes, Path out) {
        return List.of("run", "--robot", "mqtt", "--broker", broker.uri(), "--robot-id", ROBOT, "--models",
                models.toString(), "--task", "bounded-push", "--episodes", Integer.toString(episodes), "--out",
                out.toString());
    }

    @Test
    void shouldDriveTheSimRobotProcessAndStopItsArmWhenKilled() throws Exception {
        Path models = models();
        Path report = HOME.resolve("sim-robot.json");
        Process sim = simRobot(report);
        Path out = HOME.resolve("run");
        Files.deleteIfExists(out.resolve("run.farl"));
        StringWriter log = new StringWriter();
        assertEquals(0, cli(log, runArgs(models, 3, out).toArray(String[]::new)), log.toString());
        Thread.sleep(2 * TIMEOUT_MS);
        ChildProcesses.stop(sim);
        RunReport run = new ObjectMapper().readValue(out.resolve("run.json").toFile(), RunReport.class);
        BridgeCounters robot = new ObjectMapper().readValue(report.toFile(), BridgeCounters.class);
        System.out.println("farl run over mqtt: " + run);
        System.out.println("sim-robot: " + robot);
        assertEquals(3, run.episodes(), run.toString());
        assertTrue(robot.episodes() >= run.episodes(), "the robot ended at least the episodes the run counted");
        assertTrue(robot.commandsExecuted() > 0);
        assertEquals(robot.commandsExecuted(), robot.stepsApplied(), "one control period per executed command");
        assertTrue(run.finalHolds() >= 1, run.toString());
        List<Episode> recorded = DatasetReader.readAll(out.resolve("run.farl"));
        assertTrue(recorded.size() == 3 || recorded.size() == 4, "3 reported episodes and perhaps the one the run "
                + "ended in: " + recorded.size());
        assertEquals(run.irFailures(), recorded.subList(0, 3).stream()
                .filter(e -> e.footer().label() == Episode.Label.FAILURE).count());
        assertEquals(run.successes(), recorded.subList(0, 3).stream()
                .filter(e -> e.footer().label() == Episode.Label.SUCCESS).count());

        Process sim2 = simRobot(report);
        try (Watcher w = new Watcher(broker.uri())) {
            Process child = processes.java("io.farl.launch.FarlCli", runArgs(models, 1000, HOME.resolve("run2")),
                    "farl-run");
            assertTrue(w.awaitMoves(5, 60), "farl run never moved the arm; see farl-run.log");
            long killedAt = System.nanoTime();
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
            Thread.sleep(3 * TIMEOUT_MS + 500);
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(w.lastMove() - killedAt);
            System.out.printf(Locale.ROOT, "arm stopped %d ms after SIGKILL of farl run (timeout %d ms)%n",
                    stopMillis, TIMEOUT_MS);
            assertTrue(stopMillis <= TIMEOUT_MS + 100, "arm moved " + stopMillis + " ms after the kill");
        }
        ChildProcesses.stop(sim2);
        BridgeCounters after = new ObjectMapper().readValue(report.toFile(), BridgeCounters.class);
        System.out.println("sim-robot after SIGKILL of farl run: " + after);
        assertTrue(after.deadmanStops() >= 1, after.toString());
    }

    @Test
    void shouldFineTuneTheTaskPolicyOverTheLink() throws Exception {
        Path models = models();
        Process sim = simRobot(HOME.resolve("sim-robot-finetune.json"));
        Path out = HOME.resolve("run-finetune");
        Folders.deleteTree(out);
        List<String> args = new ArrayList<>(runArgs(models, 8, out));
        args.addAll(List.of("--finetune", "--ppo-batch", "24"));
        StringWriter log = new StringWriter();
        assertEquals(0, cli(log, args.toArray(String[]::new)), log.toString());
        ChildProcesses.stop(sim);
        RunReport run = new ObjectMapper().readValue(out.resolve("run.json").toFile(), RunReport.class);
        System.out.println("farl run --finetune over mqtt: " + run);
        assertEquals(8, run.episodes(), run.toString());
        assertTrue(run.learning().updates() >= 1, "PPO updated from the steps the robot executed: " + run);
        assertTrue(run.learning().policiesSwapped() >= 1, run.toString());
        assertEquals(0, run.learning().snapshotsRejected());
        List<Episode> recorded = DatasetReader.readAll(out.resolve("run.farl"));
        assertTrue(recorded.stream().flatMap(e -> e.steps().stream()).anyMatch(st -> st.reward() != 0),
                "the rewards the learner trains on are computed from the observations that came over the link");
        assertTrue(recorded.stream().flatMap(e -> e.steps().stream()).anyMatch(st -> st.policyVersion() >= 1),
                "a fine-tuned version acted on the robot");
    }

    @Test
    void shouldBenchLockStepDecisionsWithTheModelsOverTheBroker() throws Exception {
        Path json = HOME.resolve("bench-link-mqtt.json");
        Files.deleteIfExists(json);
        StringWriter log = new StringWriter();
        assertEquals(0, cli(log, "bench", "link", "--transport", "mqtt", "--broker", broker.uri(), "--models",
                models().toString(), "--decisions", "200", "--warmup", "20", "--json", json.toString()),
                log.toString());
        System.out.print(log);
        LinkBenchReportCheck.check(json, 200);
    }

    @Test
    void shouldEndTheRunWhenTheRobotReportsAnEStop() throws Exception {
        Path models = models();
        simRobot(HOME.resolve("sim-robot-estop.json"));
        Path out = HOME.resolve("run-estop");
        Files.deleteIfExists(out.resolve("run.json"));
        try (Watcher w = new Watcher(broker.uri())) {
            Process child = processes.java("io.farl.launch.FarlCli", runArgs(models, 1000, out), "farl-run-estop");
            assertTrue(w.awaitMoves(5, 60), "farl run never moved the arm; see farl-run-estop.log");
            w.publishRobotEStop("operator pressed the arm's e-stop");
            assertTrue(child.waitFor(15, TimeUnit.SECONDS), "farl run did not end on the robot's e-stop");
            assertEquals(0, child.exitValue(), Files.readString(processes.log("farl-run-estop")));
        }
        RunReport run = new ObjectMapper().readValue(out.resolve("run.json").toFile(), RunReport.class);
        System.out.println("farl run ended by the robot's e-stop: " + run);
        assertTrue(run.estopEngaged(), run.toString());
        assertTrue(run.finalHolds() >= 1, run.toString());
        assertTrue(run.episodes() < 1000);
    }

    /** A plain Paho client beside the link: watches the hand position and can publish the robot's e-stop. */
    private static final class Watcher implements MqttCallback, AutoCloseable {
        private final MqttAsyncClient client;
        private final MqttTopics topics = new MqttTopics(ROBOT);
        private final int hand;
        private final int observationSize;
        private final List<long[]> moves = new ArrayList<>();
        private double lastX = Double.NaN;

        Watcher(String uri) throws MqttException {
            SimRobot sim = new SimRobot(TaskId.BOUNDED_PUSH, SimConfig.defaults(), FaultInjection.none());
            hand = sim.description().observationField("hand_pos").offset();
            observationSize = sim.description().observationSize();
            client = new MqttAsyncClient(uri, "it-watcher-" + System.nanoTime(), null);
            client.setCallback(this);
            client.connect(new MqttConnectionOptions()).waitForCompletion(5000);
            client.subscribe(topics.observation(), 0).waitForCompletion(5000);
        }

        @Override
        public void messageArrived(String topic, MqttMessage m) {
            Decoded<Observation> d = ProtoCodec.decodeObservation(m.getPayload(), ROBOT, observationSize);
            if (!d.ok()) {
                return;
            }
            double x = d.value().values()[hand];
            synchronized (moves) {
                if (!Double.isNaN(lastX) && x != lastX) {
                    moves.add(new long[] {System.nanoTime()});
                }
                lastX = x;
            }
        }

        boolean awaitMoves(int n, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                synchronized (moves) {
                    if (moves.size() >= n) {
                        return true;
                    }
                }
                Thread.sleep(50);
            }
            return false;
        }

        long lastMove() {
            synchronized (moves) {
                return moves.isEmpty() ? Long.MIN_VALUE : moves.get(moves.size() - 1)[0];
            }
        }

        void publishRobotEStop(String reason) throws MqttException {
            byte[] payload = ProtoCodec.encodeEStop(ROBOT, new EStopSignal(true, System.nanoTime(), reason));
            client.publish(topics.estopFromRobot(), payload, 1, false).waitForCompletion(5000);
        }

        @Override
        public void close() throws MqttException {
            client.disconnect().waitForCompletion(2000);
            client.close();
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
        }

        @Override
        public void deliveryComplete(IMqttToken t) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
