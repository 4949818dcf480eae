package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.controller.teleop.RecordSummary;
import io.farl.protocol.v1.EpisodeReview;
import io.farl.protocol.v1.OperatorEvent;
import io.farl.protocol.v1.TeleopCommand;
import io.farl.robot.mqtt.MosquittoBroker;
import io.farl.robot.mqtt.MqttTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
 * {@code farl record --teleop mqtt} through a real Debian mosquitto: a device (a Paho client here) streams velocity
 * commands, marks a failure, ends episodes and answers each review with keep, discard or record-again; only the kept
 * episodes reach the dataset, labelled as answered, with the operator's commands executed through the envelope.
 */
class RecordMqttIT {
    private static final String ROBOT = "rec1";
    private static final Path HOME = Path.of("target", "mqtt-it", "RecordMqttIT").toAbsolutePath();

    private MosquittoBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = new MosquittoBroker(Files.createDirectories(HOME.resolve("broker")), false);
        broker.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRecordWhatTheDeviceDrivesAndKeepOnlyWhatTheOperatorKeeps() throws Exception {
        Path out = Files.createDirectories(HOME.resolve("out-" + System.nanoTime()));
        StringWriter log = new StringWriter();
        CompletableFuture<Integer> record = CompletableFuture.supplyAsync(() -> FarlCli.execute(new PrintWriter(log,
                true), new PrintWriter(log, true), "record", "--teleop", "mqtt", "--broker", broker.uri(),
                "--robot-id", ROBOT, "--episodes", "2", "--seed", "30", "--max-episode-steps", "600", "--out",
                out.toString()));
        try (Device device = new Device(broker.uri())) {
            // episode 1 (seed 30): pushes +x, the operator marks the failure, ends, keeps it as a failure
            device.drive(0.5, 15);
            device.event(OperatorEvent.Kind.MARK_FAILURE, "");
            device.drive(0.5, 3);
            device.event(OperatorEvent.Kind.END_EPISODE, "");
            EpisodeReview first = device.review(30);
            assertEquals(30, first.getSeed());
            assertEquals("FAILURE", first.getSuggestedLabel(), "an expert episode with a marked failure");
            // the mark came three periods before the end (the episode began when the recording came up)
            assertTrue(first.getFailureStep() >= first.getSteps() - 7 && first.getFailureStep() < first.getSteps(),
                    first.toString());
            device.event(OperatorEvent.Kind.KEEP_FAILURE, "pushed too far");
            // episode 2 (seed 31): discarded; episode 3 (seed 32): recorded again; episode 4 (seed 32): kept
            for (OperatorEvent.Kind answer : List.of(OperatorEvent.Kind.DISCARD, OperatorEvent.Kind.RERECORD,
                    OperatorEvent.Kind.KEEP_SUCCESS)) {
                device.drive(-0.5, 8);
                device.event(OperatorEvent.Kind.END_EPISODE, "");
                EpisodeReview r = device.review(30);
                assertEquals(answer == OperatorEvent.Kind.DISCARD ? 31 : 32, r.getSeed(), r.toString());
                device.event(answer, "");
            }
            device.keepAlive(() -> record.isDone(), 30);
        }
        assertEquals(0, record.get(30, TimeUnit.SECONDS), log.toString());
        List<Episode> kept = DatasetReader.readAll(out.resolve("bounded-push-expert-teleop.farl"));
        assertEquals(List.of(30L, 32L), kept.stream().map(e -> e.header().seed()).toList(), log.toString());
        Episode failed = kept.get(0);
        assertEquals(Episode.Label.FAILURE, failed.footer().label());
        assertEquals("pushed too far", failed.footer().operatorNote());
        assertEquals(first(failed), failed.footer().failureStep().getAsInt());
        assertEquals(Episode.Label.SUCCESS, kept.get(1).footer().label());
        assertEquals(Episode.Source.TELEOP, failed.header().source());
        for (Episode e : kept) {
            // the steps the device did not drive are holds: its command was older than three periods (the deadman)
            long human = e.steps().stream().filter(s -> s.mode() == Episode.Mode.HUMAN).count();
            assertTrue(human * 3 >= e.steps().size() * 2, "the device drove: " + human + " of " + e.steps().size());
            assertTrue(e.steps().stream().allMatch(s -> s.mode() == Episode.Mode.HUMAN
                    || s.mode() == Episode.Mode.HOLD), "no policy here: the device or a hold");
        }
        double sign = Math.signum(failed.steps().get(5).executedAction()[0]);
        assertEquals(1.0, sign, "the +x command was executed: " + failed.steps().get(5));
        assertEquals(-1.0, Math.signum(kept.get(1).steps().get(5).executedAction()[0]));
        RecordSummary s = StrictJson.read(out.resolve("record.json"), RecordSummary.class);
        assertEquals(2, s.kept());
        assertEquals(1, s.discarded());
        assertEquals(1, s.rerecorded());
        assertTrue(log.toString().contains("0 dropped"), log.toString());
    }

    @Test
    void shouldRecordARobotOverTheBrokerThatRunsItsOwnEpisodes() throws Exception {
        Path out = Files.createDirectories(HOME.resolve("link-" + System.nanoTime()));
        try (ChildProcesses processes = new ChildProcesses(HOME, java.util.Map.of())) {
            processes.java("io.farl.launch.FarlCli", List.of("sim-robot", "--transport", "mqtt", "--task",
                    "bounded-push", "--broker", broker.uri(), "--robot-id", ROBOT, "--max-episode-steps", "25",
                    "--report", out.resolve("sim-robot.json").toString()), "sim-robot");
            assertTrue(processes.awaitLog("sim-robot", "sim-robot ready", 60), "sim-robot did not start");
            StringWriter log = new StringWriter();
            CompletableFuture<Integer> record = CompletableFuture.supplyAsync(() -> FarlCli.execute(
                    new PrintWriter(log, true), new PrintWriter(log, true), "record", "--robot", "mqtt", "--teleop",
                    "mqtt", "--broker", broker.uri(), "--robot-id", ROBOT, "--episodes", "2", "--out",
                    out.toString()));
            try (Device device = new Device(broker.uri())) {
                for (OperatorEvent.Kind answer : List.of(OperatorEvent.Kind.KEEP_SUGGESTED,
                        OperatorEvent.Kind.KEEP_SUCCESS)) {
                    device.review(60, 0.5); // the robot ends its episodes after 25 steps; commands keep flowing
                    device.event(answer, "");
                }
                device.keepAlive(record::isDone, 30);
            }
            assertEquals(0, record.get(30, TimeUnit.SECONDS), log.toString());
        }
        List<Episode> kept = DatasetReader.readAll(out.resolve("bounded-push-expert-teleop.farl"));
        assertEquals(2, kept.size());
        assertEquals(Episode.Label.SUCCESS, kept.get(1).footer().label());
        for (Episode e : kept) {
            assertTrue(e.steps().size() >= 10 && e.steps().size() <= 27, "cut where the robot ended it: "
                    + e.steps().size());
            assertTrue(e.steps().stream().filter(s -> s.mode() == Episode.Mode.HUMAN).count() * 3
                    >= e.steps().size() * 2, "the device drove the robot over the broker");
        }
        assertTrue(kept.get(0).steps().stream().anyMatch(s -> s.executedAction()[0] > 0), "+x reached the robot");
    }

    private static int first(Episode e) {
        for (Episode.Step s : e.steps()) {
            if (s.irFailure()) {
                return s.index();
            }
        }
        return -1;
    }

    /** The operator's device: commands every 100 ms, events, reviews. */
    private static final class Device implements MqttCallback, AutoCloseable {
        private final MqttTopics topics = new MqttTopics(ROBOT);
        private final MqttAsyncClient client;
        private final BlockingQueue<EpisodeReview> reviews = new LinkedBlockingQueue<>();
        private long sequence;

        Device(String uri) throws MqttException {
            client = new MqttAsyncClient(uri, "it-device-" + System.nanoTime(), null);
            client.setCallback(this);
            client.connect(new MqttConnectionOptions()).waitForCompletion(5000);
            client.subscribe(topics.teleopReview(), 1).waitForCompletion(5000);
        }

        /** Sends +/- x velocity for {@code periods} control periods. */
        void drive(double vx, int periods) throws Exception {
            for (int i = 0; i < periods; i++) {
                command(vx);
                Thread.sleep(100);
            }
        }

        void command(double vx) throws MqttException {
            byte[] p = TeleopCommand.newBuilder().setSchemaVersion(1).setSequence(++sequence)
                    .addAllAction(List.of(vx, 0.0, 0.0, -1.0)).build().toByteArray();
            client.publish(topics.teleopCommand(), p, 0, false);
        }

        void event(OperatorEvent.Kind kind, String note) throws MqttException {
            byte[] p = OperatorEvent.newBuilder().setSchemaVersion(1).setKind(kind).setNote(note).build()
                    .toByteArray();
            client.publish(topics.teleopEvent(), p, 1, false).waitForCompletion(5000);
        }

        /** Waits for the next review, still sending (still) commands so the loop does not hold. */
        EpisodeReview review(int seconds) throws Exception {
            return review(seconds, 0);
        }

        /** Waits for the next review, sending {@code vx} meanwhile. */
        EpisodeReview review(int seconds, double vx) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                EpisodeReview r = reviews.poll(100, TimeUnit.MILLISECONDS);
                if (r != null) {
                    return r;
                }
                command(vx);
            }
            throw new AssertionError("no review within " + seconds + " s");
        }

        void keepAlive(java.util.function.BooleanSupplier done, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!done.getAsBoolean() && System.nanoTime() < deadline) {
                command(0);
                Thread.sleep(100);
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage m) throws Exception {
            reviews.add(EpisodeReview.parseFrom(m.getPayload()));
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
