package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.robot.ros1.msg.StdMsgs;
import io.farl.robot.ros1.node.Ros1Node;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code farl record --teleop ros1} over a real rosmaster: Debian's {@code rostopic pub} streams a
 * {@code geometry_msgs/Twist} and sends the operator's events as {@code std_msgs/String}; the review comes back on
 * a topic, and the kept episode holds what the twist commanded.
 */
class RecordRos1IT {
    private RosMaster ros;

    @AfterEach
    void stop() throws Exception {
        if (ros != null) {
            ros.close();
        }
    }

    @Test
    void shouldRecordWhatATwistTopicDrivesAndLabelItFromAStringTopic() throws Exception {
        assertTrue(RosMaster.available(), "Debian rosmaster is not installed: run scripts/install-system-deps.sh "
                + "(scripts/test does)");
        Path home = Path.of("target", "ros-it", "RecordRos1IT").toAbsolutePath();
        ros = new RosMaster(home).start();
        Path out = Files.createDirectories(home.resolve("out-" + System.nanoTime()));
        StringWriter log = new StringWriter();
        BlockingQueue<String> reviews = new LinkedBlockingQueue<>();
        try (Ros1Node operator = new Ros1Node(Ros1SimWiring.node("/it_operator", ros.uri(), "127.0.0.1")).start()) {
            operator.subscribe("/farl_sim/teleop/review", StdMsgs.STRING, reviews::add);
            CompletableFuture<Integer> record = CompletableFuture.supplyAsync(() -> FarlCli.execute(
                    new PrintWriter(log, true), new PrintWriter(log, true), "record", "--teleop", "ros1", "--master",
                    ros.uri(), "--episodes", "1", "--seed", "5", "--max-episode-steps", "600", "--out",
                    out.toString()));
            Process twist = ros.launch(List.of("/usr/bin/rostopic", "pub", "-r", "10", "/farl_sim/teleop/twist",
                    "geometry_msgs/Twist", "{linear: {x: 0.02, y: 0.0, z: 0.0}}"), "twist");
            try {
                Thread.sleep(4000);
                event("end_episode");
                String review = reviews.poll(30, TimeUnit.SECONDS);
                assertTrue(review != null && review.contains("seed=5"), review + "\n" + log);
                event("keep_success: driven by rostopic");
                assertEquals(0, record.get(60, TimeUnit.SECONDS), log.toString());
            } finally {
                RosMaster.stop(twist);
            }
        }
        List<Episode> kept = DatasetReader.readAll(out.resolve("bounded-push-expert-teleop.farl"));
        assertEquals(1, kept.size(), log.toString());
        Episode e = kept.get(0);
        assertEquals(Episode.Label.SUCCESS, e.footer().label());
        assertEquals("driven by rostopic", e.footer().operatorNote());
        assertEquals(Episode.Source.TELEOP, e.header().source());
        long human = e.steps().stream().filter(s -> s.mode() == Episode.Mode.HUMAN).count();
        assertTrue(human >= 10, "the twist drove " + human + " of " + e.steps().size() + " steps\n" + log);
        Episode.Step mid = e.steps().get(e.steps().size() / 2);
        assertTrue(mid.mode() == Episode.Mode.HUMAN && mid.proposedAction()[0] > 0 && mid.executedAction()[0] > 0
                && mid.proposedAction()[1] == 0, "+x as commanded: " + mid);
        assertTrue(log.toString().contains("0 dropped"), log.toString());
    }

    @Test
    void shouldRecordASimRobotOverRos1ThatRunsItsOwnEpisodes() throws Exception {
        assertTrue(RosMaster.available(), "Debian rosmaster is not installed: run scripts/install-system-deps.sh "
                + "(scripts/test does)");
        Path home = Path.of("target", "ros-it", "RecordRos1IT-link").toAbsolutePath();
        ros = new RosMaster(home).start();
        Process sim = ros.java("io.farl.launch.FarlCli", List.of("sim-robot", "--transport", "ros1", "--task",
                "bounded-push", "--master", ros.uri(), "--max-episode-steps", "20", "--report",
                home.resolve("sim-robot.json").toString()), "sim-robot");
        assertTrue(ros.awaitLog("sim-robot", "sim-robot ready", 60), "sim-robot did not start; see its log");
        Path out = Files.createDirectories(home.resolve("out-" + System.nanoTime()));
        StringWriter log = new StringWriter();
        BlockingQueue<String> reviews = new LinkedBlockingQueue<>();
        try (Ros1Node operator = new Ros1Node(Ros1SimWiring.node("/it_operator", ros.uri(), "127.0.0.1")).start()) {
            operator.subscribe("/farl_sim/teleop/review", StdMsgs.STRING, reviews::add);
            CompletableFuture<Integer> record = CompletableFuture.supplyAsync(() -> FarlCli.execute(
                    new PrintWriter(log, true), new PrintWriter(log, true), "record", "--robot", "ros1", "--teleop",
                    "ros1", "--master", ros.uri(), "--episodes", "1", "--out", out.toString()));
            Process twist = ros.launch(List.of("/usr/bin/rostopic", "pub", "-r", "10", "/farl_sim/teleop/twist",
                    "geometry_msgs/Twist", "{linear: {x: 0.02, y: 0.0, z: 0.0}}"), "twist");
            try {
                // the robot ends its episodes after 20 steps; the first one may have begun before the twist flowed
                String review = reviews.poll(60, TimeUnit.SECONDS);
                assertTrue(review != null && review.contains("steps="), review + "\n" + log);
                event("discard");
                review = reviews.poll(60, TimeUnit.SECONDS);
                assertTrue(review != null && review.contains("steps="), review + "\n" + log);
                event("keep_suggested");
                assertEquals(0, record.get(60, TimeUnit.SECONDS), log.toString());
            } finally {
                RosMaster.stop(twist);
                RosMaster.stop(sim);
            }
        }
        List<Episode> kept = DatasetReader.readAll(out.resolve("bounded-push-expert-teleop.farl"));
        assertEquals(1, kept.size(), log.toString());
        Episode e = kept.get(0);
        assertTrue(e.steps().size() >= 10 && e.steps().size() <= 22, "cut where the robot ended it: "
                + e.steps().size());
        assertTrue(e.steps().stream().filter(s -> s.mode() == Episode.Mode.HUMAN).count() * 3
                >= e.steps().size() * 2, "the twist drove the robot over ROS 1");
        assertTrue(e.steps().stream().anyMatch(s -> s.executedAction()[0] > 0), "+x reached the robot");
    }

    private void event(String text) throws Exception {
        Process p = ros.launch(List.of("/usr/bin/rostopic", "pub", "-1", "/farl_sim/teleop/event", "std_msgs/String",
                "data: '" + text + "'"), "event");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "rostopic pub -1 did not end");
    }
}
