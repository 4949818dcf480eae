package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.api.RobotDescription;
import io.farl.robot.sim.PointHandRobot;
import io.farl.safety.EnvelopeConfig;
import io.farl.safety.GateConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RobotConfigFileTest {
    private static final RobotDescription HAND = new PointHandRobot(1_000_000L).description();
    private static final GateConfig GATE = GateConfig.steps(0.3, 3);

    private static RobotConfigFile.Loaded parse(String yaml) {
        return RobotConfigFile.parse(yaml, "robot.yaml", HAND, GATE);
    }

    private static String error(String yaml) {
        return assertThrows(BadInputException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void shouldTurnEveryProtectionOnByDefault() {
        RobotConfigFile.Loaded d = RobotConfigFile.defaults(HAND, GATE);
        EnvelopeConfig e = d.loop().envelope();
        assertEquals(HAND.workspace().maxX() - 0.02, e.workspace().maxX(), 1e-12, "workspace tightened");
        assertEquals(0.5 * HAND.maxSpeedMetersPerSecond(), e.maxSpeedMetersPerSecond(), 1e-12);
        assertEquals(10.0 * 1e-3, e.maxActionDeltaPerPeriod(), 1e-12, "a realistic step limit, not the range");
        assertEquals(5_000_000L, e.commandLatencyNanos());
        assertEquals(2_000_000_000L, d.loop().supervisor().maxHoldNanos());
        assertTrue(d.loop().fallbackToRecovery());
        assertEquals(Path.of("/run/farl/estop"), d.estopFile(), "the e-stop input is wired");
        assertTrue(d.loop().watchdog().maxFutureSkewNanos() > 0);
    }

    @Test
    void shouldReadTheGivenValues() {
        RobotConfigFile.Loaded c = parse("""
                envelope:
                  workspace_margin_m: 0.05
                  max_speed_fraction: 0.25
                supervisor:
                  max_hold_ms: 500
                estop:
                  file: /tmp/estop
                """);
        assertEquals(HAND.workspace().minX() + 0.05, c.loop().envelope().workspace().minX(), 1e-12);
        assertEquals(0.25 * HAND.maxSpeedMetersPerSecond(), c.loop().envelope().maxSpeedMetersPerSecond(), 1e-12);
        assertEquals(500_000_000L, c.loop().supervisor().maxHoldNanos());
        assertEquals(Path.of("/tmp/estop"), c.estopFile());
        assertEquals(null, c.trainingReward(), "the task's reward unless learning.reward says otherwise");
        assertEquals("sparse", parse("""
                learning:
                  reward: sparse
                """).trainingReward());
        RobotConfigFile.Loaded gail = parse("""
                learning:
                  reward: gailfe
                  demonstrations: /data/teleop
                """);
        assertEquals("gailfe", gail.trainingReward());
        assertEquals(Path.of("/data/teleop"), gail.demonstrations());
        assertEquals(null, c.demonstrations());
    }

    @Test
    void shouldNameTheKeyAndLineOfABadValue() {
        String m = error("""
                envelope:
                  workspace_margin_m: 0.01
                  max_speed_fraction: 1.5
                """);
        assertTrue(m.startsWith("robot.yaml:3: 'envelope.max_speed_fraction'"), m);
        assertTrue(m.contains("1.5"), m);
    }

    @Test
    void shouldNameTheKeyAndLineOfAnUnknownKey() {
        String m = error("""
                supervisor:
                  max_faults: 3

                  max_hold_msec: 100
                """);
        assertTrue(m.startsWith("robot.yaml:4: 'supervisor.max_hold_msec': unknown key"), m);
    }

    @Test
    void shouldRejectAWrongTypeAndBrokenYaml() {
        assertTrue(error("estop:\n  poll_ms: fast\n").startsWith("robot.yaml:2: 'estop.poll_ms': must be a number"));
        assertTrue(error("envelope: [1, 2\n").startsWith("robot.yaml:"));
        assertTrue(error("transfer_periods: 2.5\n").contains("'transfer_periods'"));
    }

    @Test
    void shouldReadTheLinkSectionAndTheTopicMap() {
        RobotConfigFile.Loaded c = parse("""
                link:
                  mqtt:
                    broker: ssl://broker.lab:8883
                    robot_id: arm-7
                    user: controller
                    ca: /etc/farl/ca.pem
                  ros1:
                    master: http://10.0.0.2:11311/
                    host: 10.0.0.5
                    namespace: /cell7
                    topics:
                      command: /servo_server/delta_twist_cmds
                      object_poses: [/vision/cup, /vision/plate, /vision/goal]
                """);
        LinkSettings l = c.link();
        assertEquals(new LinkSettings.Mqtt("ssl://broker.lab:8883", "arm-7", "controller", Path.of("/etc/farl/ca.pem")),
                l.mqtt());
        assertEquals("http://10.0.0.2:11311/", l.ros1().master());
        assertEquals("/cell7", l.ros1().namespace());
        assertEquals("/servo_server/delta_twist_cmds", l.ros1().topics().command());
        assertEquals(java.util.List.of("/vision/cup", "/vision/plate", "/vision/goal"), l.ros1().topics().objectPoses());
        assertEquals(null, l.ros1().topics().estop(), "unnamed topics keep the namespace's default");
        assertEquals(LinkSettings.NONE, RobotConfigFile.defaults(HAND, GATE).link());

        io.farl.robot.api.RobotDescription sim = new io.farl.robot.sim.SimRobot(io.farl.robot.sim.TaskId.BOUNDED_PUSH,
                io.farl.robot.sim.SimConfig.defaults(), io.farl.robot.sim.FaultInjection.none()).description();
        io.farl.robot.ros1.Ros1RobotConfig ros = Ros1SimWiring.controller(sim, l.ros1().master(), "127.0.0.1",
                1_000_000L, l.ros1());
        assertEquals("/servo_server/delta_twist_cmds", ros.commandTopic());
        assertEquals("/cell7/joint_states", ros.jointStateTopic());
        assertEquals("/cell7/estop", ros.estopTopic());
        assertEquals(l.ros1().topics().objectPoses(), ros.objectPoseTopics());
        assertEquals("/cell7/episode_events", Ros1SimWiring.eventTopic(l.ros1()));
    }

    @Test
    void shouldNameTheKeyAndLineOfABadLinkValue() {
        assertTrue(error("link:\n  mqtt:\n    broker: mqtt://x:1\n").startsWith(
                "robot.yaml:3: 'link.mqtt.broker': must start with tcp:// or ssl://"), error("link:\n  mqtt:\n    broker: mqtt://x:1\n"));
        assertTrue(error("link:\n  mqtt:\n    robot_id: 'a/b'\n").startsWith("robot.yaml:3: 'link.mqtt.robot_id'"));
        assertTrue(error("link:\n  ros1:\n    topics:\n      estop: estop\n").startsWith(
                "robot.yaml:4: 'link.ros1.topics.estop': must be a global ROS name"));
        assertTrue(error("link:\n  ros1:\n    topics:\n      object_poses: /a\n").contains("must be a list"));
        assertTrue(error("link:\n  ros1:\n    topic:\n      estop: /e\n").contains("'link.ros1.topic': unknown key"));
        LinkSettings.Ros1 two = parse("link:\n  ros1:\n    topics:\n      object_poses: [/a, /b]\n").link().ros1();
        io.farl.robot.api.RobotDescription sim = new io.farl.robot.sim.SimRobot(io.farl.robot.sim.TaskId.BOUNDED_PUSH,
                io.farl.robot.sim.SimConfig.defaults(), io.farl.robot.sim.FaultInjection.none()).description();
        assertTrue(assertThrows(BadInputException.class, () -> Ros1SimWiring.controller(sim, "http://127.0.0.1:1/",
                "127.0.0.1", 1_000_000L, two)).getMessage().contains("need 3 object pose topics"));
    }
}
