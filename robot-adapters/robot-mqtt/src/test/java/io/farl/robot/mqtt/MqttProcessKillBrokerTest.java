package io.farl.robot.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.farl.robot.api.RobotStatus;

/**
 * SIGKILL of the process at either end: a killed controller leaves the arm stopped by the bridge's deadman within
 * its timeout; a killed bridge shows up at the controller as OFFLINE (the MQTT last will) and STALE observations.
 */
class MqttProcessKillBrokerTest {
    private static final long MS = 1_000_000L;
    private static final String ROBOT = "arm-7";

    @TempDir
    Path dir;
    private MosquittoBroker broker;
    private Process child;

    @BeforeEach
    void start() throws Exception {
        broker = new MosquittoBroker(dir, false);
        broker.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        }
        broker.close();
    }

    private Process spawn(String role) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LinkProcessMain.class.getName(), role, broker.uri(), ROBOT)
                .redirectError(dir.resolve(role + ".log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line = out.readLine();
        assertEquals("READY", line, role + " process did not start; see " + dir.resolve(role + ".log"));
        return p;
    }

    @Test
    void shouldStopTheArmWithinTheDeadmanTimeoutWhenTheControllerProcessIsKilled() throws Exception {
        FakeArm arm = new FakeArm();
        MqttRobotBridge bridge = new MqttRobotBridge(MqttLinkConfig.of(broker.uri(), ROBOT), arm,
                new MqttRobotBridge.Timing(100 * MS, 5 * MS, 1 * MS), System::nanoTime);
        try {
            bridge.start();
            child = spawn("controller");
            Await.until("the controller process drives the arm", () -> arm.executed().size() >= 100);
            long killedAt = System.nanoTime();
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
            Await.until("the deadman stop", () -> bridge.counters().deadmanStops() == 1);
            List<FakeArm.Call> calls = arm.calls();
            FakeArm.Call last = calls.get(calls.size() - 1);
            assertEquals("stop", last.kind());
            BridgeCounters c = bridge.counters();
            assertTrue(c.lastStopDelayNanos() > 100 * MS);
            System.out.printf("controller SIGKILL: arm stopped %.1f ms after the kill, %.1f ms after the last "
                    + "accepted command (deadman timeout 100 ms); %s%n", (last.nowNanos() - killedAt) / 1e6,
                    c.lastStopDelayNanos() / 1e6, c);
        } finally {
            bridge.close();
        }
    }

    @Test
    void shouldSeeTheRobotOfflineAndStaleWhenTheBridgeProcessIsKilled() throws Exception {
        MqttRobot robot = new MqttRobot(MqttLinkConfig.of(broker.uri(), ROBOT), TestRobots.description(ROBOT),
                50 * MS, System::nanoTime);
        try {
            child = spawn("bridge");
            robot.configure();
            robot.activate();
            Await.until("observations from the bridge process", () -> robot.read(System.nanoTime(), MS).ok()
                    && robot.robotOnline());
            long killedAt = System.nanoTime();
            child.destroyForcibly();
            Await.until("OFFLINE from the last will", () -> !robot.robotOnline());
            long offline = System.nanoTime() - killedAt;
            Await.until("STALE", () -> robot.read(System.nanoTime(), MS) == RobotStatus.STALE);
            long stale = System.nanoTime() - killedAt;
            long now = System.nanoTime();
            assertEquals(RobotStatus.REFUSED, robot.write(now, MS, new io.farl.robot.api.Command(now, 1,
                    now + 100 * MS, new double[4])));
            System.out.printf("bridge SIGKILL: OFFLINE (last will) after %.1f ms, STALE after %.1f ms (limit 50 ms)%n",
                    offline / 1e6, stale / 1e6);
        } finally {
            robot.close();
        }
    }
}
