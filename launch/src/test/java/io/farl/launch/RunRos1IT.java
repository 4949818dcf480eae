package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.controller.deploy.RunReport;
import io.farl.robot.api.BridgeCounters;
import io.farl.robot.ros1.msg.GeometryMsgs;
import io.farl.robot.ros1.msg.StdMsgs;
import io.farl.robot.ros1.node.Ros1Node;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code farl run --robot ros1} with tiny pretrained models drives {@code farl sim-robot --transport ros1} in another
 * process over a real rosmaster; then a {@code farl run} process is killed with SIGKILL and the sim-robot's deadman
 * must stop the arm within its command timeout.
 */
class RunRos1IT {
    private static final int TIMEOUT_MS = 300;

    private RosMaster ros;

    @AfterEach
    void stop() throws Exception {
        if (ros != null) {
            ros.close();
        }
    }

    private static int cli(StringWriter log, String... args) {
        PrintWriter w = new PrintWriter(log, true);
        return FarlCli.execute(w, w, args);
    }

    /** Tiny pretrained models shared by the tests of this class, built by the first that needs them. */
    private static Path models() {
        Path home = Path.of("target", "ros-it", "RunRos1IT").toAbsolutePath();
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
        Process p = ros.java("io.farl.launch.FarlCli", List.of("sim-robot", "--transport", "ros1", "--task",
                "bounded-push", "--master", ros.uri(), "--command-timeout", Integer.toString(TIMEOUT_MS),
                "--max-episode-steps", "20", "--report", report.toString()), "sim-robot");
        assertTrue(ros.awaitLog("sim-robot", "sim-robot ready", 60), "sim-robot did not start; see its log");
        return p;
    }

    @Test
    void shouldDriveTheSimRobotProcessAndStopItsArmWhenKilled() throws Exception {
        assertTrue(RosMaster.available(), "Debian rosmaster is not installed: run scripts/install-system-deps.sh (scripts/test does)");
        Path home = Path.of("target", "ros-it", "RunRos1IT").toAbsolutePath();
        ros = new RosMaster(home).start();
        Path models = models();
        StringWriter log = new StringWriter();
        Path report = home.resolve("sim-robot.json");
        Process sim = simRobot(report);
        Path out = home.resolve("run");
        assertEquals(0, cli(log, "run", "--robot", "ros1", "--master", ros.uri(), "--models", models.toString(),
                "--task", "bounded-push", "--episodes", "2", "--out", out.toString()), log.toString());
        Thread.sleep(2 * TIMEOUT_MS);
        RosMaster.stop(sim);
        RunReport run = new ObjectMapper().readValue(out.resolve("run.json").toFile(), RunReport.class);
        BridgeCounters robot = new ObjectMapper().readValue(report.toFile(), BridgeCounters.class);
        System.out.println("farl run over ros1: " + run);
        System.out.println("sim-robot: " + robot);
        assertEquals(2, run.episodes(), run.toString());
        assertEquals(run.episodes(), robot.episodes(), "episodes ended: controller vs robot");
        assertEquals(run.successes(), robot.successes());
        assertEquals(run.irFailures(), robot.irFailures());
        assertTrue(robot.commandsExecuted() > 0);
        assertEquals(0, robot.executedAfterExpiry());
        assertTrue(run.finalHolds() >= 1, run.toString());

        Process sim2 = simRobot(report);
        long stopMillis = killControllerAndMeasureStop(models);
        RosMaster.stop(sim2);
        BridgeCounters after = new ObjectMapper().readValue(report.toFile(), BridgeCounters.class);
        System.out.println("sim-robot after SIGKILL of farl run: " + after);
        assertTrue(after.deadmanStops() >= 1, after.toString());
        assertEquals(0, after.executedAfterExpiry());
        assertTrue(stopMillis <= TIMEOUT_MS + 100, "arm moved " + stopMillis + " ms after the kill");
    }

    @Test
    void shouldEndTheRunWhenTheRobotsEStopTopicEngages() throws Exception {
        assertTrue(RosMaster.available(), "Debian rosmaster is not installed: run scripts/install-system-deps.sh (scripts/test does)");
        Path home = Path.of("target", "ros-it", "RunRos1IT-estop").toAbsolutePath();
        ros = new RosMaster(home).start();
        Path models = models();
        StringWriter log = new StringWriter();
        // A topic map of its own: the sim-robot under /cell7, farl run told so by its robot configuration.
        ros.java("io.farl.launch.FarlCli", List.of("sim-robot", "--transport", "ros1", "--task", "bounded-push",
                "--master", ros.uri(), "--namespace", "/cell7", "--command-timeout", Integer.toString(TIMEOUT_MS),
                "--max-episode-steps", "20"), "sim-robot");
        assertTrue(ros.awaitLog("sim-robot", "sim-robot ready", 60), "sim-robot did not start; see its log");
        Path config = home.resolve("robot.yaml");
        Files.writeString(config, "link:\n  ros1:\n    namespace: /cell7\n");
        Path out = home.resolve("run");
        Files.deleteIfExists(out.resolve("run.json"));
        List<long[]> poses = new ArrayList<>();
        var cell7 = Ros1SimWiring.bridge(ros.uri(), "127.0.0.1", "/cell7", 1, 1);
        try (Ros1Node button = new Ros1Node(Ros1SimWiring.node("/estop_button", ros.uri(), "127.0.0.1")).start()) {
            button.subscribe(cell7.endEffectorPoseTopic(),
                    GeometryMsgs.POSE_STAMPED, p -> {
                        synchronized (poses) {
                            poses.add(new long[] {System.nanoTime(), Double.doubleToLongBits(p.pose().position().x())});
                        }
                    });
            Process run = ros.java("io.farl.launch.FarlCli", List.of("run", "--robot", "ros1", "--master", ros.uri(),
                    "--config", config.toString(), "--models", models.toString(), "--episodes", "1000", "--out",
                    out.toString()), "farl-run-estop");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!moved(poses, 5) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(moved(poses, 5), "farl run never moved the arm; see farl-run-estop.log");
            button.advertise(cell7.estopTopic(), StdMsgs.BOOL, true).publish(true);
            assertTrue(run.waitFor(20, TimeUnit.SECONDS), "farl run did not end on the robot's e-stop topic");
            assertEquals(0, run.exitValue(), Files.readString(ros.log("farl-run-estop")));
        }
        RunReport report = new ObjectMapper().readValue(out.resolve("run.json").toFile(), RunReport.class);
        System.out.println("farl run ended by the ROS e-stop topic: " + report);
        assertTrue(report.estopEngaged(), report.toString());
        assertTrue(report.finalHolds() >= 1, report.toString());
    }

    private long killControllerAndMeasureStop(Path models) throws Exception {
        List<long[]> poses = new ArrayList<>();
        try (Ros1Node watcher = new Ros1Node(Ros1SimWiring.node("/pose_watcher", ros.uri(), "127.0.0.1")).start()) {
            watcher.subscribe(Ros1SimWiring.bridge(ros.uri(), "127.0.0.1", 1, 1).endEffectorPoseTopic(),
                    GeometryMsgs.POSE_STAMPED, p -> {
                        synchronized (poses) {
                            poses.add(new long[] {System.nanoTime(), Double.doubleToLongBits(p.pose().position().x())});
                        }
                    });
            Process run = ros.java("io.farl.launch.FarlCli", List.of("run", "--robot", "ros1", "--master", ros.uri(),
                    "--models", models.toString(), "--episodes", "1000", "--out", ros.home().resolve("run2")
                    .toString()), "farl-run");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!moved(poses, 5) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(moved(poses, 5), "farl run never moved the arm; see farl-run.log");
            long killedAt = System.nanoTime();
            run.destroyForcibly();
            run.waitFor(10, TimeUnit.SECONDS);
            Thread.sleep(3 * TIMEOUT_MS + 500);
            long last = lastMove(poses);
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(last - killedAt);
            System.out.printf(Locale.ROOT, "arm stopped %d ms after SIGKILL of farl run (timeout %d ms)%n",
                    stopMillis, TIMEOUT_MS);
            return stopMillis;
        }
    }

    private static boolean moved(List<long[]> poses, int changes) {
        synchronized (poses) {
            int n = 0;
            for (int i = 1; i < poses.size(); i++) {
                if (poses.get(i)[1] != poses.get(i - 1)[1]) {
                    n++;
                }
            }
            return n >= changes;
        }
    }

    private static long lastMove(List<long[]> poses) {
        synchronized (poses) {
            long last = Long.MIN_VALUE;
            for (int i = 1; i < poses.size(); i++) {
                if (poses.get(i)[1] != poses.get(i - 1)[1]) {
                    last = poses.get(i)[0];
                }
            }
            return last;
        }
    }

    @Test
    void shouldBenchLockStepDecisionsWithTheModelsOverRos() throws Exception {
        assertTrue(RosMaster.available(), "Debian rosmaster is not installed: run scripts/install-system-deps.sh (scripts/test does)");
        Path home = Path.of("target", "ros-it", "RunRos1IT-bench").toAbsolutePath();
        ros = new RosMaster(home).start();
        Path models = models();
        StringWriter log = new StringWriter();
        Path json = home.resolve("bench-link-ros1.json");
        Files.deleteIfExists(json);
        assertEquals(0, cli(log, "bench", "link", "--transport", "ros1", "--master", ros.uri(), "--models",
                models.toString(), "--decisions", "200", "--warmup", "20", "--json", json.toString()), log.toString());
        System.out.print(log);
        LinkBenchReportCheck.check(json, 200);
    }
}
