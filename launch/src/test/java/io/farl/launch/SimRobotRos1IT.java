package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.robot.api.BridgeCounters;
import io.farl.robot.ros1.msg.GeometryMsgs;
import io.farl.robot.ros1.node.Ros1Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code farl sim-robot --transport ros1} in its own process against a real rosmaster, driven over ROS by a
 * {@link ScriptedRos1Controller}: counters after SIGTERM, episode agreement, and the deadman after the controller
 * process is killed with SIGKILL.
 */
class SimRobotRos1IT {
    private static final int TIMEOUT_MS = 300;
    private static final String TASK = "bounded-push";

    private RosMaster ros;
    private Path report;

    @BeforeEach
    void start(TestInfo info) throws Exception {
        assertTrue(RosMaster.available(), "Debian rosmaster is not installed: run scripts/install-system-deps.sh (scripts/test does)");
        Path home = Path.of("target", "ros-it", info.getTestMethod().orElseThrow().getName()).toAbsolutePath();
        ros = new RosMaster(home).start();
        report = home.resolve("sim-robot.json");
        Files.deleteIfExists(report);
    }

    @AfterEach
    void stop() throws Exception {
        if (ros != null) {
            ros.close();
        }
    }

    private Process startSimRobot(int maxEpisodeSteps, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("sim-robot", "--transport", "ros1", "--task", TASK, "--master",
                ros.uri(), "--command-timeout", Integer.toString(TIMEOUT_MS), "--max-episode-steps",
                Integer.toString(maxEpisodeSteps), "--report", report.toString()));
        args.addAll(List.of(extra));
        Process p = ros.java("io.farl.launch.FarlCli", args, "sim-robot");
        assertTrue(ros.awaitLog("sim-robot", "sim-robot ready", 60), "sim-robot did not start; see its log");
        return p;
    }

    private BridgeCounters stopAndReadReport(Process simRobot) throws Exception {
        RosMaster.stop(simRobot);
        assertTrue(Files.exists(report), "no report written on SIGTERM");
        BridgeCounters c = new ObjectMapper().readValue(report.toFile(), BridgeCounters.class);
        System.out.println("sim-robot report: " + c);
        return c;
    }

    @Test
    void shouldExecuteCommandsAndAgreeOnEpisodesWithTheController() throws Exception {
        Process simRobot = startSimRobot(15);
        int ended;
        long written;
        try (ScriptedRos1Controller controller = new ScriptedRos1Controller(ros.uri(),
                TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS))) {
            controller.runUntil(3, 60);
            Thread.sleep(2 * TIMEOUT_MS);
            BridgeCounters c = stopAndReadReport(simRobot);
            ended = controller.episodesEnded.get();
            written = controller.written;
            assertTrue(ended >= 3, "controller heard " + ended + " episode ends");
            assertEquals(ended, c.episodes(), "episodes ended: controller vs sim-robot");
            assertEquals(c.episodes(), c.successes() + c.irFailures() + truncated(c));
            assertTrue(c.commandsExecuted() > 0);
            assertEquals(0, c.executedAfterExpiry(), "an expired command was executed");
            assertTrue(c.commandsReceived() <= written, "received " + c.commandsReceived() + " of " + written);
            long accounted = c.commandsExecuted() + c.commandsExpiredDropped() + c.commandsStaleDropped()
                    + c.commandsSuperseded();
            assertTrue(accounted <= c.commandsReceived() && c.commandsReceived() - accounted <= 1,
                    "every received command is executed, dropped or superseded (one may be pending at shutdown)");
        }
    }

    @Test
    void shouldNeverExecuteACommandThatExpiredBeforeTheBridgeTookIt() throws Exception {
        // a 1 ms lifetime: nearly every command expires before the next 100 ms control tick takes it
        Process simRobot = startSimRobot(15, "--command-lifetime", "1");
        try (ScriptedRos1Controller controller = new ScriptedRos1Controller(ros.uri(),
                TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS))) {
            controller.runUntil(1, 3);
            BridgeCounters c = stopAndReadReport(simRobot);
            assertTrue(c.commandsReceived() > 0, "no command reached the bridge");
            // a command that arrived within 1 ms before a tick is still valid there and may run, once
            assertTrue(c.commandsExpiredDropped() > c.commandsExecuted(), c.toString());
            assertEquals(0, c.executedAfterExpiry());
            assertEquals(c.commandsExecuted(), c.stepsApplied(), "a 1 ms command never outlives one tick");
        }
    }

    private static long truncated(BridgeCounters c) {
        return c.episodes() - c.successes() - c.irFailures();
    }

    @Test
    void shouldStopTheArmWithinTheCommandTimeoutWhenTheControllerIsKilled() throws Exception {
        Process simRobot = startSimRobot(1000);
        List<long[]> poses = new ArrayList<>();
        try (Ros1Node watcher = new Ros1Node(Ros1SimWiring.node("/pose_watcher", ros.uri(), "127.0.0.1")).start()) {
            watcher.subscribe(Ros1SimWiring.bridge(ros.uri(), "127.0.0.1", 1, 1).endEffectorPoseTopic(),
                    GeometryMsgs.POSE_STAMPED, p -> {
                        synchronized (poses) {
                            poses.add(new long[] {System.nanoTime(), Double.doubleToLongBits(p.pose().position().x())});
                        }
                    });
            Process controller = ros.java(ScriptedRos1Controller.class.getName(), List.of(ros.uri()), "controller");
            assertTrue(ros.awaitLog("controller", "driving", 60), "controller did not start; see its log");
            Thread.sleep(1500);
            long killedAt = System.nanoTime();
            controller.destroyForcibly();
            controller.waitFor(10, TimeUnit.SECONDS);
            Thread.sleep(3 * TIMEOUT_MS + 500);
            long lastMove = lastMoveNanos(poses);
            double stopMillis = (lastMove - killedAt) / 1e6;
            System.out.printf(Locale.ROOT, "arm stopped %.1f ms after SIGKILL of the controller (timeout %d ms)%n",
                    stopMillis, TIMEOUT_MS);
            BridgeCounters c = stopAndReadReport(simRobot);
            assertTrue(c.deadmanStops() >= 1, "no deadman stop counted");
            assertEquals(0, c.executedAfterExpiry());
            long period = TimeUnit.NANOSECONDS.toMillis(ScriptedRos1Controller.PERIOD);
            assertTrue(stopMillis <= TIMEOUT_MS + period, "arm moved " + stopMillis + " ms after the kill");
        }
    }

    /** Arrival time of the last pose whose x differs from the one before. */
    private static long lastMoveNanos(List<long[]> poses) {
        synchronized (poses) {
            long last = Long.MIN_VALUE;
            for (int i = 1; i < poses.size(); i++) {
                if (poses.get(i)[1] != poses.get(i - 1)[1]) {
                    last = poses.get(i)[0];
                }
            }
            assertTrue(last != Long.MIN_VALUE, "the arm never moved");
            return last;
        }
    }
}
