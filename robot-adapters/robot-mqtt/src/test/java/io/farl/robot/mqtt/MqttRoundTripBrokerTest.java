package io.farl.robot.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.farl.robot.api.Command;
import io.farl.robot.api.RobotStatus;

/** Controller ↔ bridge through a real mosquitto on loopback (anonymous, plain TCP). */
class MqttRoundTripBrokerTest {
    private static final long MS = 1_000_000L;
    private static final String ROBOT = "arm-1";

    @TempDir
    Path dir;
    private MosquittoBroker broker;
    private FakeArm arm;
    private MqttRobotBridge bridge;
    private MqttRobot robot;

    @BeforeEach
    void start() throws Exception {
        broker = new MosquittoBroker(dir, false);
        broker.start();
        arm = new FakeArm();
        bridge = new MqttRobotBridge(MqttLinkConfig.of(broker.uri(), ROBOT), arm,
                new MqttRobotBridge.Timing(100 * MS, 5 * MS, 1 * MS), System::nanoTime);
        bridge.start();
        robot = new MqttRobot(MqttLinkConfig.of(broker.uri(), ROBOT), TestRobots.description(ROBOT), 50 * MS,
                System::nanoTime);
        robot.configure();
        robot.activate();
        Await.until("the first observation and ONLINE", () -> robot.read(System.nanoTime(), MS).ok()
                && robot.robotOnline());
    }

    @AfterEach
    void stop() throws Exception {
        robot.close();
        bridge.close();
        broker.close();
    }

    private static double[] action(double x) {
        return new double[] {x, 0, 0, 1};
    }

    @Test
    void shouldExecuteEveryLockStepCommandInOrderAndReportObservationToExecutionRoundTrip() {
        int n = 2000;
        long[] rtt = new long[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long now = System.nanoTime();
            assertEquals(RobotStatus.OK, robot.write(now, MS, new Command(now, i, now + 500 * MS,
                    action(i / (double) n))));
            int executed = i + 1;
            awaitExecuted(executed);
            rtt[i] = System.nanoTime() - now;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<FakeArm.Call> done = arm.executed();
        assertEquals(n, done.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i / (double) n, done.get(i).action()[0]);
        }
        assertEquals(0, bridge.counters().commandsExpiredDropped());
        Arrays.sort(rtt);
        System.out.printf("mqtt lock-step over mosquitto (loopback, TCP_NODELAY): %d commands, %.0f decisions/s, "
                + "write->executed->observed p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", n, n / seconds,
                rtt[n / 2] / 1e6, rtt[(int) (n * 0.99)] / 1e6, rtt[n - 1] / 1e6);
    }

    /** Tighter than {@link Await} (0.2 ms polls); parks rather than spins to leave the link threads a core. */
    private void awaitExecuted(int executed) {
        long deadline = System.nanoTime() + 15_000 * MS;
        while (!(robot.read(System.nanoTime(), MS).ok() && robot.latest().values()[2] == executed)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("command " + (executed - 1) + " not executed");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
    }

    @Test
    void shouldNeverExecuteAnExpiredCommandArrivingOverTheLink() throws Exception {
        MqttClient raw = new MqttClient(broker.uri(), "raw-controller", null);
        raw.connect(new MqttConnectionOptions());
        int expiredSent = 20;
        long seq = System.currentTimeMillis() * 1000L + 1_000_000L;
        for (int i = 0; i < expiredSent; i++) {
            long now = System.nanoTime();
            Command stale = new Command(now - 20 * MS, seq++, now - 10 * MS, action(-0.9));
            raw.publish(new MqttTopics(ROBOT).command(), new MqttMessage(ProtoCodec.encodeCommand(ROBOT, stale), 0,
                    false, null));
            long fresh = System.nanoTime();
            Command ok = new Command(fresh, seq++, fresh + 500 * MS, action(0.5));
            raw.publish(new MqttTopics(ROBOT).command(), new MqttMessage(ProtoCodec.encodeCommand(ROBOT, ok), 0,
                    false, null));
            Thread.sleep(3);
        }
        Await.until("the valid commands executed", () -> bridge.counters().commandsExecuted() >= 1
                && bridge.counters().commandsReceived() + bridge.counters().commandsMalformed() >= 2);
        Thread.sleep(50);
        raw.disconnect();
        raw.close();
        BridgeCounters c = bridge.counters();
        System.out.println("expired-command test: " + c);
        assertTrue(arm.executed().stream().noneMatch(call -> call.action()[0] == -0.9),
                "an expired command was executed");
        assertTrue(c.commandsExpiredDropped() > 0, "expired commands must be counted");
        assertEquals(c.commandsReceived(), c.commandsExecuted() + c.commandsExpiredDropped() + c.commandsRefused());
    }

    @Test
    void shouldStopTheArmWhenTheControllerFallsSilentAndMeasureTheDelay() {
        for (int i = 0; i < 20; i++) {
            long now = System.nanoTime();
            robot.write(now, MS, new Command(now, i, now + 10_000 * MS, action(0.3)));
            java.util.concurrent.locks.LockSupport.parkNanos(5 * MS);
        }
        long silentFrom = System.nanoTime();
        Await.until("the deadman stop", () -> bridge.counters().deadmanStops() == 1);
        long observed = System.nanoTime() - silentFrom;
        List<FakeArm.Call> calls = arm.calls();
        assertEquals("stop", calls.get(calls.size() - 1).kind());
        long delay = bridge.counters().lastStopDelayNanos();
        assertTrue(delay > 100 * MS, "the deadman must not stop before its timeout with a command in force");
        System.out.printf("deadman: timeout 100 ms, stop %.3f ms after the last accepted command "
                + "(%.3f ms after the controller's last write, seen from the test)%n", delay / 1e6, observed / 1e6);
    }

    @Test
    void shouldCountAndDropInvalidObservationsAndGoStaleWithoutThem() throws Exception {
        MqttClient raw = new MqttClient(broker.uri(), "raw-robot", null);
        raw.connect(new MqttConnectionOptions());
        bridge.close();
        long before = robot.counters().decodeErrors();
        byte[][] bad = {new byte[] {1, 2, 3}, ProtoCodec.encodeObservation("arm-2", new io.farl.robot.api.Observation(
                1, Long.MAX_VALUE, new double[] {0, 0, 0})), ProtoCodec.encodeObservation(ROBOT,
                        new io.farl.robot.api.Observation(1, Long.MAX_VALUE, new double[] {0, Double.NaN, 0})),
                ProtoCodec.encodeObservation(ROBOT, new io.farl.robot.api.Observation(1, Long.MAX_VALUE,
                        new double[] {0, 0}))};
        for (byte[] b : bad) {
            raw.publish(new MqttTopics(ROBOT).observation(), new MqttMessage(b, 0, false, null));
        }
        Await.until("four decode errors", () -> robot.counters().decodeErrors() == before + 4);
        System.out.println("last observation decode error: " + robot.counters().lastDecodeError());
        Await.until("STALE without valid observations", () -> robot.read(System.nanoTime(), MS)
                == RobotStatus.STALE);
        assertEquals(-1, robot.latest().firstNonFinite(), "a non-finite observation reached the loop");
        raw.disconnect();
        raw.close();
    }

    @Test
    void shouldRelayEStopsAndEpisodeEventsBothWays() {
        robot.requestReset(0, 42);
        Await.until("the reset reached the arm", () -> arm.calls().stream().anyMatch(c -> c.kind().equals("reset")));
        Await.until("the RESET confirmation", () -> robot.lastEpisodeEvent() != null);
        assertEquals(42, robot.lastEpisodeEvent().seed());
        bridge.engageEStop("robot-side button");
        Await.until("the controller sees the robot e-stop", () -> robot.robotEStop() != null);
        long now = System.nanoTime();
        assertEquals(RobotStatus.REFUSED, robot.write(now, MS, new Command(now, 1, now + 100 * MS, action(0))));
        robot.engageEStop("operator");
        Await.until("the bridge latched", bridge::estopEngaged);
    }
}
