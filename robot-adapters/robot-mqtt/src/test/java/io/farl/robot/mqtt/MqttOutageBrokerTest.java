package io.farl.robot.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.farl.robot.api.Command;
import io.farl.robot.api.RobotStatus;

/**
 * Broker killed (SIGKILL) and restarted on the same port while the controller keeps writing long-lived commands:
 * the controller goes STALE and REFUSES writes, both ends reconnect on their own I/O threads, and no command written
 * before the outage is executed after it.
 */
class MqttOutageBrokerTest {
    private static final long MS = 1_000_000L;
    private static final String ROBOT = "arm-1";

    @TempDir
    Path dir;

    @Test
    void shouldGoStaleReconnectAndNeverSendAPreOutageCommand() throws Exception {
        MosquittoBroker broker = new MosquittoBroker(dir, false);
        broker.start();
        FakeArm arm = new FakeArm();
        MqttRobotBridge bridge = new MqttRobotBridge(MqttLinkConfig.of(broker.uri(), ROBOT), arm,
                new MqttRobotBridge.Timing(100 * MS, 5 * MS, 1 * MS), System::nanoTime);
        MqttRobot robot = new MqttRobot(MqttLinkConfig.of(broker.uri(), ROBOT), TestRobots.description(ROBOT),
                50 * MS, System::nanoTime);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Thread control = new Thread(() -> {
            // the control thread: 500 Hz, commands valid for 10 s so that only the link epoch can stop a replay
            while (writing.get()) {
                long now = System.nanoTime();
                int i = written.get();
                RobotStatus s = robot.write(now, 2 * MS, new Command(now, i, now + 10_000 * MS,
                        new double[] {i, 0, 0, 1}));
                if (s == RobotStatus.OK) {
                    written.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                }
                robot.read(now, 2 * MS);
                LockSupport.parkNanos(2 * MS);
            }
        }, "test-control");
        try {
            bridge.start();
            robot.configure();
            robot.activate();
            Await.until("first observation", () -> robot.read(System.nanoTime(), MS).ok() && robot.robotOnline());
            control.start();
            Await.until("100 commands executed", () -> arm.executed().size() >= 100);

            long killedAt = System.nanoTime();
            broker.kill();
            int writtenAtKill = written.get();
            Await.until("the controller reports STALE", () -> robot.read(System.nanoTime(), MS) == RobotStatus.STALE);
            long staleAfter = System.nanoTime() - killedAt;
            Await.until("writes refused", () -> !robot.linkUp());
            Await.until("the bridge's deadman stop", () -> bridge.counters().deadmanStops() >= 1);
            int executedBeforeRestart = arm.executed().size();
            int lastIndexBeforeOutage = written.get();
            Thread.sleep(500);
            assertEquals(executedBeforeRestart, arm.executed().size(), "nothing can execute while the broker is down");

            broker.start();
            long restartedAt = System.nanoTime();
            Await.until("controller reconnected", robot::linkUp);
            Await.until("fresh observations", () -> robot.read(System.nanoTime(), MS).ok() && robot.robotOnline());
            long recovered = System.nanoTime() - restartedAt;
            Await.until("new commands executed", () -> arm.executed().size() >= executedBeforeRestart + 50);
            writing.set(false);
            control.join();

            List<FakeArm.Call> after = arm.executed().subList(executedBeforeRestart, arm.executed().size());
            for (FakeArm.Call c : after) {
                assertTrue(c.action()[0] >= lastIndexBeforeOutage, "pre-outage command " + c.action()[0]
                        + " executed after the reconnect (first post-outage index " + lastIndexBeforeOutage + ")");
            }
            LinkCounters.Snapshot counters = robot.counters();
            assertTrue(counters.connects() >= 2);
            assertTrue(refused.get() > 0, "writes during the outage must be refused");
            assertFalse(arm.executed().isEmpty());
            System.out.printf("outage: STALE %.1f ms after the kill (stale limit 50 ms); bridge deadman stop %.1f ms "
                    + "after its last command; reconnected with fresh observations %.1f ms after the restart; "
                    + "%d writes refused; written at kill %d; %s%n", staleAfter / 1e6,
                    bridge.counters().lastStopDelayNanos() / 1e6, recovered / 1e6, refused.get(), writtenAtKill,
                    counters);
        } finally {
            writing.set(false);
            control.join(2000);
            robot.close();
            bridge.close();
            broker.close();
        }
    }

    @Test
    void shouldDeliverAnEStopEngagedDuringAnOutageOnceTheBrokerIsBack() throws Exception {
        MosquittoBroker broker = new MosquittoBroker(dir, false);
        broker.start();
        FakeArm arm = new FakeArm();
        MqttRobotBridge bridge = new MqttRobotBridge(MqttLinkConfig.of(broker.uri(), ROBOT), arm,
                new MqttRobotBridge.Timing(100 * MS, 5 * MS, 1 * MS), System::nanoTime);
        MqttRobot robot = new MqttRobot(MqttLinkConfig.of(broker.uri(), ROBOT), TestRobots.description(ROBOT),
                50 * MS, System::nanoTime);
        try {
            bridge.start();
            robot.configure();
            robot.activate();
            Await.until("first observation", () -> robot.read(System.nanoTime(), MS).ok() && robot.robotOnline());
            broker.kill();
            Await.until("the controller sees the outage", () -> !robot.linkUp());
            robot.engageEStop("operator during outage");
            Thread.sleep(300);
            assertFalse(bridge.estopEngaged());
            broker.start();
            Await.until("the bridge latched the e-stop after the reconnect", bridge::estopEngaged);
            Await.until("the robot's announcement acknowledged the e-stop", () -> !robot.estopPending());
            assertTrue(robot.robotEStop() != null);
        } finally {
            robot.close();
            bridge.close();
            broker.close();
        }
    }
}
