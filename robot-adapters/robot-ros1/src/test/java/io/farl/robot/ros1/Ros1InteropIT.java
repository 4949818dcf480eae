package io.farl.robot.ros1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.farl.robot.ros1.msg.GeometryMsgs;
import io.farl.robot.ros1.msg.RosTypes.Header;
import io.farl.robot.ros1.msg.RosTypes.JointState;
import io.farl.robot.ros1.msg.RosTypes.Twist;
import io.farl.robot.ros1.msg.RosTypes.TwistStamped;
import io.farl.robot.ros1.msg.RosTypes.Vector3;
import io.farl.robot.ros1.msg.SensorMsgs;
import io.farl.robot.ros1.msg.StdMsgs;
import io.farl.robot.ros1.node.MasterClient;
import io.farl.robot.ros1.node.Ros1Exception;
import io.farl.robot.ros1.node.Ros1Node;
import io.farl.robot.ros1.node.XmlRpcEndpoint;
import io.farl.robot.ros1.node.Ros1NodeConfig;
import io.farl.robot.ros1.node.Ros1Publisher;
import io.farl.robot.ros1.node.Ros1Subscriber;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Interop with Debian's ROS 1: rosmaster on a free loopback port, rostopic pub/echo and a rospy node. Timeouts
 * only bound how long a broken link may take to fail the test; latency figures are printed, never asserted.
 */
class Ros1InteropIT {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private RosMasterProcess ros;
    private final List<Ros1Node> nodes = new ArrayList<>();

    @BeforeEach
    void startMaster(TestInfo info) throws Exception {
        assertTrue(RosMasterProcess.available(),
                "Debian rosmaster/rostopic not installed (scripts/install-system-deps.sh installs them)");
        ros = new RosMasterProcess(Path.of("target", "ros-it", info.getTestMethod().orElseThrow().getName()))
                .start();
    }

    @AfterEach
    void stopAll() throws Exception {
        nodes.forEach(Ros1Node::close);
        if (ros != null) {
            ros.close();
        }
    }

    private Ros1Node node(String name) {
        Ros1Node n = new Ros1Node(new Ros1NodeConfig(name, ros.uri(), "127.0.0.1", 2000, 200)).start();
        nodes.add(n);
        return n;
    }

    private static TwistStamped twist(long seq, double x, double y) {
        return new TwistStamped(new Header(seq, System.currentTimeMillis() * 1_000_000L, "base"),
                new Twist(new Vector3(x, y, 0), Vector3.ZERO));
    }

    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void shouldBeHeardByRostopicEcho() throws Exception {
        Ros1Publisher<TwistStamped> pub = node("/farl_java_pub").advertise("/farl/java_twist",
                GeometryMsgs.TWIST_STAMPED, false);
        Process echo = ros.launch(List.of("/usr/bin/rostopic", "echo", "-n", "3", "/farl/java_twist"), "echo");
        long seq = 0;
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (echo.isAlive() && System.nanoTime() < deadline) {
            pub.publish(twist(seq++, 0.25, -0.5));
            Thread.sleep(50);
        }
        String out = Files.readString(ros.log("echo"));
        assertTrue(!echo.isAlive() && echo.exitValue() == 0, "rostopic echo did not finish: " + out);
        assertTrue(out.contains("x: 0.25") && out.contains("y: -0.5") && out.contains("frame_id: \"base\""), out);
    }

    @Test
    void shouldDeliverALatchedMessageToALateRostopicEcho() throws Exception {
        Ros1Publisher<Boolean> pub = node("/farl_java_latch").advertise("/farl/latched", StdMsgs.BOOL, true);
        pub.publish(true);
        Process echo = ros.launch(List.of("/usr/bin/rostopic", "echo", "-n", "1", "/farl/latched"), "echo");
        assertTrue(echo.waitFor(30, TimeUnit.SECONDS), "rostopic echo got no latched message");
        assertTrue(Files.readString(ros.log("echo")).contains("data: True"), Files.readString(ros.log("echo")));
    }

    @Test
    void shouldServeTheMasterAndSlaveApis() throws Exception {
        Ros1Node n = node("/farl_java_api");
        n.advertise("/farl/api_pub", StdMsgs.BOOL, false);
        n.subscribe("/farl/api_sub", StdMsgs.BOOL, v -> { });
        MasterClient m = n.master();
        assertEquals(n.slaveUri(), m.lookupNode("/farl_java_api"));
        m.setParam("/farl/gain", 2.5);
        assertTrue(m.hasParam("/farl/gain"));
        assertEquals(2.5, m.getParam("/farl/gain"));
        m.deleteParam("/farl/gain");
        assertTrue(!m.hasParam("/farl/gain"));
        XmlRpcEndpoint slave = new XmlRpcEndpoint(n.slaveUri(), 2000);
        assertEquals((int) ProcessHandle.current().pid(), slave.call("getPid", "/test"));
        assertEquals(ros.uri(), slave.call("getMasterUri", "/test"));
        Object[] answer = (Object[]) slave.call("requestTopic", "/test", "/farl/api_pub",
                new Object[] {new Object[] {"TCPROS"}});
        assertEquals("TCPROS", answer[0]);
        assertThrows(Ros1Exception.class, () -> slave.call("requestTopic", "/test", "/farl/nothing",
                new Object[] {new Object[] {"TCPROS"}}));
        Process info = ros.launch(List.of("/usr/bin/rostopic", "info", "/farl/api_pub"), "info");
        assertTrue(info.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.readString(ros.log("info")).contains("/farl_java_api"), Files.readString(ros.log("info")));
        assertEquals(1, m.unregisterSubscriber("/farl/api_sub", n.slaveUri()));
        assertEquals(1, m.unregisterPublisher("/farl/api_pub", n.slaveUri()));
        assertTrue(m.getPublishedTopics("").stream().noneMatch(t -> t[0].equals("/farl/api_pub")));
    }

    @Test
    void shouldReceiveFromRostopicPub() throws Exception {
        AtomicReference<Boolean> flag = new AtomicReference<>();
        AtomicReference<JointState> joints = new AtomicReference<>();
        Ros1Node n = node("/farl_java_sub");
        n.subscribe("/farl/estop", StdMsgs.BOOL, flag::set);
        n.subscribe("/farl/js", SensorMsgs.JOINT_STATE, joints::set);
        ros.launch(List.of("/usr/bin/rostopic", "pub", "-r", "20", "/farl/estop", "std_msgs/Bool", "data: true"),
                "pub_bool");
        ros.launch(List.of("/usr/bin/rostopic", "pub", "-r", "20", "/farl/js", "sensor_msgs/JointState",
                "{name: [a, b], position: [1.5, -2.5], velocity: [0.1, 0.2]}"), "pub_js");
        await("Bool from rostopic pub", () -> Boolean.TRUE.equals(flag.get()));
        await("JointState from rostopic pub", () -> joints.get() != null);
        assertEquals(List.of("a", "b"), joints.get().names());
        assertEquals(-2.5, joints.get().position()[1]);
        assertEquals(0.2, joints.get().velocity()[1]);
    }

    @Test
    void shouldRoundTripThroughARospyNode() throws Exception {
        Ros1Node n = node("/farl_java_rt");
        BlockingQueue<JointState> back = new LinkedBlockingQueue<>();
        AtomicReference<Boolean> ready = new AtomicReference<>();
        n.subscribe("/farl/joint_states", SensorMsgs.JOINT_STATE, back::add);
        n.subscribe("/farl/py_ready", StdMsgs.BOOL, ready::set);
        Ros1Publisher<TwistStamped> cmd = n.advertise("/farl/cmd", GeometryMsgs.TWIST_STAMPED, false);
        startRospyNode();
        await("latched ready flag from rospy", () -> Boolean.TRUE.equals(ready.get()));
        await("rospy subscribed to /farl/cmd", () -> cmd.subscriberCount() > 0);
        List<Long> rtt = pingPong(cmd, back, 500);
        printLatency("Java -> rospy -> Java TwistStamped/JointState round trip", rtt);
    }

    @Test
    void shouldRoundTripBetweenTwoJavaNodes() throws Exception {
        Ros1Node robotSide = node("/farl_java_robot");
        Ros1Publisher<JointState> states = robotSide.advertise("/farl/states", SensorMsgs.JOINT_STATE, false);
        robotSide.subscribe("/farl/cmd", GeometryMsgs.TWIST_STAMPED, t -> states.publish(new JointState(
                t.header(), List.of("j1"), new double[] {t.twist().linear().x()},
                new double[] {t.twist().linear().y()}, new double[0])));
        Ros1Node controller = node("/farl_java_controller");
        BlockingQueue<JointState> back = new LinkedBlockingQueue<>();
        controller.subscribe("/farl/states", SensorMsgs.JOINT_STATE, back::add);
        Ros1Publisher<TwistStamped> cmd = controller.advertise("/farl/cmd", GeometryMsgs.TWIST_STAMPED, false);
        await("both directions connected", () -> cmd.subscriberCount() > 0 && states.subscriberCount() > 0);
        pingPong(cmd, back, 2000);
        printLatency("Java -> Java (two nodes, one JVM) TwistStamped/JointState round trip after warm-up",
                pingPong(cmd, back, 5000));
    }

    @Test
    void shouldRegisterAgainAndResumeTrafficAfterMasterRestart() throws Exception {
        Ros1Node a = node("/farl_java_a");
        Ros1Publisher<TwistStamped> pub = a.advertise("/farl/restart", GeometryMsgs.TWIST_STAMPED, false);
        AtomicReference<Boolean> late = new AtomicReference<>();
        Ros1Node early = node("/farl_java_early_sub");
        early.subscribe("/farl/late", StdMsgs.BOOL, late::set);
        await("first registrations checked", () -> a.reRegistrations() >= 1 && early.reRegistrations() >= 1);
        long before = a.reRegistrations();
        ros.stopMaster();
        long killedAt = System.nanoTime();
        ros.start();
        await("re-registration", () -> a.reRegistrations() > before);
        System.out.printf("master restart: re-registered %.1f ms after the kill (incl. master start)%n",
                (System.nanoTime() - killedAt) / 1e6);
        assertTrue(a.master().getPublishedTopics("").stream().anyMatch(t -> t[0].equals("/farl/restart")));
        BlockingQueue<TwistStamped> got = new LinkedBlockingQueue<>();
        Ros1Subscriber<TwistStamped> sub = node("/farl_java_b").subscribe("/farl/restart",
                GeometryMsgs.TWIST_STAMPED, got::add);
        Process echo = ros.launch(List.of("/usr/bin/rostopic", "echo", "-n", "2", "/farl/restart"), "echo");
        long seq = 0;
        long deadline = System.nanoTime() + WAIT_NANOS;
        while ((echo.isAlive() || got.isEmpty()) && System.nanoTime() < deadline) {
            pub.publish(twist(seq++, 0.75, 0));
            Thread.sleep(50);
        }
        assertTrue(!echo.isAlive() && sub.received() > 0, "traffic did not resume after the master restart: "
                + Files.readString(ros.log("echo")));
        assertTrue(Files.readString(ros.log("echo")).contains("x: 0.75"));
        await("subscriber re-registered", () -> early.reRegistrations() > 1);
        Ros1Publisher<Boolean> latePub = node("/farl_java_late_pub").advertise("/farl/late", StdMsgs.BOOL, true);
        latePub.publish(true);
        await("a subscription made before the restart reaches a publisher that came after it",
                () -> Boolean.TRUE.equals(late.get()));
    }

    @Test
    void shouldReconnectWhenThePublisherRestarts() throws Exception {
        Ros1Node n = node("/farl_java_pr");
        BlockingQueue<JointState> back = new LinkedBlockingQueue<>();
        AtomicReference<Boolean> ready = new AtomicReference<>();
        Ros1Subscriber<JointState> sub = n.subscribe("/farl/joint_states", SensorMsgs.JOINT_STATE, back::add);
        n.subscribe("/farl/py_ready", StdMsgs.BOOL, ready::set);
        Ros1Publisher<TwistStamped> cmd = n.advertise("/farl/cmd", GeometryMsgs.TWIST_STAMPED, false);
        Process py = startRospyNode();
        await("rospy ready", () -> Boolean.TRUE.equals(ready.get()) && cmd.subscriberCount() > 0);
        pingPong(cmd, back, 20);
        RosMasterProcess.stop(py);
        ready.set(null);
        long killedAt = System.nanoTime();
        await("links to the dead rospy node dropped", () -> sub.connectedPublishers() == 0
                && cmd.subscriberCount() == 0);
        startRospyNode();
        await("restarted rospy ready", () -> Boolean.TRUE.equals(ready.get()) && cmd.subscriberCount() > 0
                && sub.connectedPublishers() > 0);
        System.out.printf("publisher restart: traffic possible again %.1f ms after the kill (incl. rospy start)%n",
                (System.nanoTime() - killedAt) / 1e6);
        back.clear();
        pingPong(cmd, back, 20);
    }

    private Process startRospyNode() throws IOException {
        Path script = Path.of("src", "test", "resources", "ros1_echo_node.py").toAbsolutePath();
        return ros.launch(List.of(RosMasterProcess.PYTHON, script.toString()), "rospy_node");
    }

    /** Sends {@code count} commands one at a time and waits for each echo; returns round-trip times in ns. */
    private static List<Long> pingPong(Ros1Publisher<TwistStamped> cmd, BlockingQueue<JointState> back, int count)
            throws InterruptedException {
        List<Long> rtt = new ArrayList<>();
        back.clear();
        for (int i = 1; i <= count; i++) {
            long t0 = System.nanoTime();
            cmd.publish(twist(i, i, -i));
            JointState js;
            do {
                js = back.poll(10, TimeUnit.SECONDS);
                if (js == null) {
                    fail("no echo for command " + i);
                }
            } while (js.position()[0] != i);
            rtt.add(System.nanoTime() - t0);
            assertEquals(-i, js.velocity()[0]);
            assertEquals(i, js.header().seq());
        }
        return rtt;
    }

    static void printLatency(String what, List<Long> nanos) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        System.out.printf("%s: n=%d p50=%.3f ms p90=%.3f ms p99=%.3f ms max=%.3f ms%n", what, s.size(),
                s.get(s.size() / 2) / 1e6, s.get((int) (s.size() * 0.9)) / 1e6,
                s.get(Math.min(s.size() - 1, (int) (s.size() * 0.99))) / 1e6, s.get(s.size() - 1) / 1e6);
    }
}
