package io.farl.robot.ros1;

import static io.farl.robot.ros1.Ros1InteropIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.api.Command;
import io.farl.robot.api.Field;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.Workspace;
import io.farl.robot.ros1.msg.GeometryMsgs;
import io.farl.robot.ros1.msg.RosTypes.Float64MultiArray;
import io.farl.robot.ros1.msg.RosTypes.Header;
import io.farl.robot.ros1.msg.RosTypes.JointState;
import io.farl.robot.ros1.msg.RosTypes.Pose;
import io.farl.robot.ros1.msg.RosTypes.PoseStamped;
import io.farl.robot.ros1.msg.RosTypes.Quaternion;
import io.farl.robot.ros1.msg.RosTypes.TwistStamped;
import io.farl.robot.ros1.msg.RosTypes.Vector3;
import io.farl.robot.ros1.msg.SensorMsgs;
import io.farl.robot.ros1.msg.StdMsgs;
import io.farl.robot.ros1.node.Ros1Node;
import io.farl.robot.ros1.node.Ros1NodeConfig;
import io.farl.robot.ros1.node.Ros1Publisher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@link Ros1Robot} against a real rosmaster, with a Java node playing the robot side (joint states, poses,
 * e-stop out; commands in).
 */
class Ros1RobotIT {
    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_AGE = TimeUnit.MILLISECONDS.toNanos(200);

    private RosMasterProcess ros;
    private Ros1Node robotSide;
    private Ros1Robot robot;
    private Ros1Publisher<JointState> joints;
    private Ros1Publisher<PoseStamped> ee;
    private Ros1Publisher<PoseStamped> object;
    private Ros1Publisher<Boolean> estop;
    private final BlockingQueue<TwistStamped> twists = new LinkedBlockingQueue<>();
    private final BlockingQueue<PoseStamped> poses = new LinkedBlockingQueue<>();
    private final AtomicReference<Float64MultiArray> gripper = new AtomicReference<>();

    @BeforeEach
    void start(TestInfo info) throws Exception {
        assertTrue(RosMasterProcess.available(),
                "Debian rosmaster not installed (scripts/install-system-deps.sh installs it)");
        ros = new RosMasterProcess(Path.of("target", "ros-it", info.getTestMethod().orElseThrow().getName())).start();
        robotSide = new Ros1Node(new Ros1NodeConfig("/arm_driver", ros.uri(), "127.0.0.1", 2000, 200)).start();
        joints = robotSide.advertise("/arm/joint_states", SensorMsgs.JOINT_STATE, false);
        ee = robotSide.advertise("/arm/ee_pose", GeometryMsgs.POSE_STAMPED, false);
        object = robotSide.advertise("/arm/object_pose", GeometryMsgs.POSE_STAMPED, false);
        estop = robotSide.advertise("/arm/estop", StdMsgs.BOOL, true);
        robotSide.subscribe("/arm/servo/twist", GeometryMsgs.TWIST_STAMPED, twists::add);
        robotSide.subscribe("/arm/equilibrium_pose", GeometryMsgs.POSE_STAMPED, poses::add);
        robotSide.subscribe("/arm/gripper", StdMsgs.FLOAT64_MULTI_ARRAY, gripper::set);
        estop.publish(false);
    }

    @AfterEach
    void stop() throws Exception {
        if (robot != null) {
            robot.close();
        }
        if (robotSide != null) {
            robotSide.close();
        }
        if (ros != null) {
            ros.close();
        }
    }

    private Ros1Robot robot(CommandMode mode) {
        RobotDescription d = new RobotDescription("ros1-arm", Ros1RobotConfig.observationLayout(2, 1),
                List.of(new Field("hand_vel", 0, 3, "1"), new Field("gripper", 3, 1, "1")),
                new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1, 1}, new Workspace(-1, -1, 0, 1, 1, 1), 0.5,
                PERIOD);
        String topic = mode == CommandMode.TWIST_STAMPED ? "/arm/servo/twist" : "/arm/equilibrium_pose";
        Ros1RobotConfig c = new Ros1RobotConfig(new Ros1NodeConfig("/farl", ros.uri(), "127.0.0.1", 2000, 200), d,
                mode, topic, "/arm/gripper", "/arm/joint_states", List.of("j1", "j2"), "/arm/ee_pose",
                List.of("/arm/object_pose"), "/arm/estop", "base", MAX_AGE);
        robot = new Ros1Robot(c);
        robot.configure();
        robot.activate();
        return robot;
    }

    private void publishState(double x) {
        Header h = new Header(0, System.currentTimeMillis() * 1_000_000L, "base");
        joints.publish(new JointState(h, List.of("j1", "j2"), new double[] {0.1, 0.2}, new double[] {0, 0},
                new double[0]));
        ee.publish(new PoseStamped(h, new Pose(new Vector3(x, 0, 0.3), Quaternion.IDENTITY)));
        object.publish(new PoseStamped(h, new Pose(new Vector3(0.5, 0.5, 0), Quaternion.IDENTITY)));
    }

    private RobotStatus readFresh(double x) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        RobotStatus s;
        do {
            publishState(x);
            Thread.sleep(10);
            s = robot.read(System.nanoTime(), PERIOD);
        } while ((s != RobotStatus.OK || robot.latest().values()[0] != x) && System.nanoTime() < deadline);
        return s;
    }

    @Test
    void shouldReadTheRobotAndSendTwistCommandsWithoutBlocking() throws Exception {
        robot(CommandMode.TWIST_STAMPED);
        assertEquals(RobotStatus.OK, readFresh(0.4));
        double[] v = robot.latest().values();
        assertEquals(0.3, v[2]);
        assertEquals(0.2, v[8]);
        assertEquals(0.5, v[11]);
        await("robot side subscribed to the commands", () -> robot.node() != null && twists.isEmpty()
                && robotSide.master().getPublishedTopics("").stream().anyMatch(t -> t[0].equals("/arm/servo/twist")));
        List<Long> writeNanos = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            long now = System.nanoTime();
            RobotStatus s = robot.write(now, PERIOD, new Command(now, i, now + 2 * PERIOD, new double[] {1, 0, -0.5, 0.2}));
            writeNanos.add(System.nanoTime() - now);
            assertEquals(RobotStatus.OK, s);
            Thread.sleep(1);
        }
        TwistStamped t = twists.poll(30, TimeUnit.SECONDS);
        assertEquals(new Vector3(0.5, 0, -0.25), t.twist().linear());
        await("gripper command", () -> gripper.get() != null && gripper.get().data()[0] == 0.2);
        Ros1InteropIT.printLatency("Ros1Robot.write (TwistStamped + gripper) call duration", writeNanos);
    }

    @Test
    void shouldRefuseExpiredCommandsAndCommandsDuringEstop() throws Exception {
        robot(CommandMode.TWIST_STAMPED);
        assertEquals(RobotStatus.OK, readFresh(0.1));
        long now = System.nanoTime();
        assertEquals(RobotStatus.EXPIRED, robot.write(now, PERIOD, new Command(now - 3 * PERIOD, 1,
                now - PERIOD, new double[] {1, 0, 0, 0})));
        estop.publish(true);
        await("e-stop seen", robot::estopEngaged);
        now = System.nanoTime();
        assertEquals(RobotStatus.REFUSED, robot.write(now, PERIOD, new Command(now, 2, now + PERIOD,
                new double[] {1, 0, 0, 0})));
        Thread.sleep(300);
        assertNull(twists.poll(), "nothing may be sent for an expired command or during e-stop");
    }

    @Test
    void shouldRefuseCommandsAfterAnotherNodeTakesItsName() throws Exception {
        robot(CommandMode.TWIST_STAMPED);
        try (Ros1Node usurper = new Ros1Node(new Ros1NodeConfig("/farl", ros.uri(), "127.0.0.1", 2000, 200))
                .start()) {
            usurper.advertise("/farl/other", StdMsgs.BOOL, false);
            await("shutdown request from the master", () -> robot.node().shutdownRequested());
            long now = System.nanoTime();
            assertEquals(RobotStatus.REFUSED, robot.write(now, PERIOD, new Command(now, 1, now + PERIOD,
                    new double[] {1, 0, 0, 0})));
        }
    }

    @Test
    void shouldTurnStaleWhenTheRobotStopsPublishingAndClearOnActivate() throws Exception {
        robot(CommandMode.TWIST_STAMPED);
        assertEquals(RobotStatus.OK, readFresh(0.2));
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(MAX_AGE) + 50);
        assertEquals(RobotStatus.STALE, robot.read(System.nanoTime(), PERIOD));
        robot.deactivate();
        TwistStamped hold = twists.poll(30, TimeUnit.SECONDS);
        assertEquals(Vector3.ZERO, hold.twist().linear(), "deactivation sends a zero twist");
        robot.activate();
        assertNull(robot.latest());
        assertEquals(RobotStatus.NO_DATA, robot.read(System.nanoTime(), PERIOD));
    }

    @Test
    void shouldSendEquilibriumPosesAndKeepWritingWhileTheMasterIsDown() throws Exception {
        robot(CommandMode.POSE_STAMPED);
        assertEquals(RobotStatus.OK, readFresh(0.3));
        await("robot side connected to the pose command", () -> {
            long now = System.nanoTime();
            publishState(0.3);
            robot.write(now, PERIOD, new Command(now, now, now + PERIOD, new double[] {1, 0, 0, 0}));
            return !poses.isEmpty();
        });
        PoseStamped p = poses.poll();
        assertEquals(0.3 + 0.5 * 0.01, p.pose().position().x(), 1e-9);
        ros.stopMaster();
        poses.clear();
        publishState(0.3);
        Thread.sleep(20);
        long t0 = System.nanoTime();
        RobotStatus s = robot.write(t0, PERIOD, new Command(t0, t0, t0 + PERIOD, new double[] {0, 1, 0, 0}));
        System.out.printf("Ros1Robot.write with the master down took %.3f ms%n", (System.nanoTime() - t0) / 1e6);
        assertEquals(RobotStatus.OK, s);
        assertEquals(0.5 * 0.01, poses.poll(30, TimeUnit.SECONDS).pose().position().y(), 1e-9);
    }
}
