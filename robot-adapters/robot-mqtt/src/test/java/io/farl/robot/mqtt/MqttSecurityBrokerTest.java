package io.farl.robot.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.farl.robot.api.Command;
import io.farl.robot.api.RobotStatus;

/**
 * Username/password, the per-robot ACL ({@link MosquittoBroker#ACL}) and TLS with a CA made at test time, against a
 * real mosquitto: the right credentials work over TLS, wrong ones are refused, a robot cannot read or write another
 * robot's topics, and a client that does not trust the CA cannot connect.
 */
class MqttSecurityBrokerTest {
    private static final long MS = 1_000_000L;

    @TempDir
    static Path dir;
    private static MosquittoBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = new MosquittoBroker(dir, true).user("controller", "c-secret").user("arm-1", "secret-1")
                .user("arm-2", "secret-2");
        broker.start();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    private static MqttAsyncClient raw(String user, String password, List<String> seen) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(broker.uri(), "raw-" + user + "-" + System.nanoTime(), null);
        c.setCallback(new Recorder(seen));
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        c.connect(o).waitForCompletion(5000);
        return c;
    }

    private static MqttAsyncClient raw(String user, String password) throws MqttException {
        return raw(user, password, new CopyOnWriteArrayList<>());
    }

    private static void closeAll(MqttAsyncClient... clients) {
        for (MqttAsyncClient c : clients) {
            try {
                c.disconnect().waitForCompletion(2000);
                c.close();
            } catch (MqttException e) {
                System.out.println("closing a raw client: " + e);
            }
        }
    }

    /** Records payloads as text. */
    private record Recorder(List<String> seen) implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage m) {
            seen.add(new String(m.getPayload(), StandardCharsets.UTF_8));
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
        public void connectComplete(boolean reconnect, String uri) {
        }

        @Override
        public void authPacketArrived(int code, MqttProperties p) {
        }
    }

    @Test
    void shouldDriveTheRobotOverTlsWithCredentials() throws Exception {
        SSLSocketFactory tls = broker.certificates().clientFactory();
        FakeArm arm = new FakeArm();
        MqttRobotBridge bridge = new MqttRobotBridge(MqttLinkConfig.of(broker.uri(), "arm-1")
                .withCredentials("arm-1", "secret-1").withTls(broker.tlsUri(), tls), arm,
                new MqttRobotBridge.Timing(100 * MS, 5 * MS, 1 * MS), System::nanoTime);
        MqttRobot robot = new MqttRobot(MqttLinkConfig.of(broker.uri(), "arm-1")
                .withCredentials("controller", "c-secret").withTls(broker.tlsUri(), tls),
                TestRobots.description("arm-1"), 50 * MS, System::nanoTime);
        try {
            bridge.start();
            robot.configure();
            robot.activate();
            Await.until("observations over TLS", () -> robot.read(System.nanoTime(), MS).ok() && robot.robotOnline());
            long now = System.nanoTime();
            assertEquals(RobotStatus.OK, robot.write(now, MS, new Command(now, 1, now + 500 * MS,
                    new double[] {0.25, 0, 0, 1})));
            Await.until("the command executed", () -> arm.executed().size() == 1);
            assertEquals(0.25, arm.executed().get(0).action()[0]);
        } finally {
            robot.close();
            bridge.close();
        }
    }

    @Test
    void shouldRefuseWrongCredentials() {
        MqttRobot robot = new MqttRobot(MqttLinkConfig.of(broker.uri(), "arm-1").withCredentials("controller",
                "wrong"), TestRobots.description("arm-1"), 50 * MS, System::nanoTime);
        IllegalStateException e = assertThrows(IllegalStateException.class, robot::configure);
        System.out.println("wrong credentials: " + e.getMessage());
        assertTrue(e.getMessage().contains("not up"), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("password") || e.getMessage().contains("authori"),
                e.getMessage());
        robot.close();
        MqttException raw = assertThrows(MqttException.class, () -> raw("arm-1", "secret-2"));
        System.out.println("wrong password for arm-1: reason code 0x" + Integer.toHexString(raw.getReasonCode()));
    }

    @Test
    void shouldRefuseAClientThatDoesNotTrustTheBrokerCertificate() {
        MqttRobot robot = new MqttRobot(MqttLinkConfig.of(broker.uri(), "arm-1").withCredentials("controller",
                "c-secret").withTls(broker.tlsUri(), (SSLSocketFactory) SSLSocketFactory.getDefault()),
                TestRobots.description("arm-1"), 50 * MS, System::nanoTime);
        IllegalStateException e = assertThrows(IllegalStateException.class, robot::configure);
        System.out.println("untrusted broker certificate: " + e.getMessage());
        robot.close();
    }

    /**
     * Mosquitto 2.0.11 answers the SUBACK of a denied subscription with success (0x00) and enforces the ACL at
     * delivery, so what is checked is that nothing is delivered; the reason code is printed.
     */
    @Test
    void shouldNeverDeliverAnotherRobotsCommandsToARobot() throws Exception {
        MqttTopics arm1 = new MqttTopics("arm-1");
        List<String> seenByArm2 = new CopyOnWriteArrayList<>();
        List<String> seenByArm1 = new CopyOnWriteArrayList<>();
        MqttAsyncClient arm2 = raw("arm-2", "secret-2", seenByArm2);
        MqttAsyncClient arm1Client = raw("arm-1", "secret-1", seenByArm1);
        MqttAsyncClient controller = raw("controller", "c-secret");
        try {
            IMqttToken t = arm2.subscribe(new String[] {arm1.command(), "farl/v1/#"}, new int[] {0, 0});
            t.waitForCompletion(5000);
            System.out.println("arm-2 subscribing to arm-1's commands and farl/v1/#: SUBACK reason codes 0x"
                    + Integer.toHexString(t.getReasonCodes()[0]) + ", 0x" + Integer.toHexString(t.getReasonCodes()[1]));
            arm1Client.subscribe(arm1.command(), 1).waitForCompletion(5000);
            controller.publish(arm1.command(), new MqttMessage("cmd".getBytes(StandardCharsets.UTF_8), 1, false,
                    null)).waitForCompletion(5000);
            Await.until("arm-1 got its command", () -> seenByArm1.contains("cmd"));
            controller.publish(new MqttTopics("arm-2").command(), new MqttMessage("own".getBytes(
                    StandardCharsets.UTF_8), 1, false, null)).waitForCompletion(5000);
            Await.until("arm-2 got its own command (its subscription works)", () -> seenByArm2.contains("own"));
            assertFalse(seenByArm2.contains("cmd"), "arm-2 received arm-1's command: " + seenByArm2);
        } finally {
            closeAll(arm2, arm1Client, controller);
        }
    }

    @Test
    void shouldNeverDeliverAnotherRobotsPublishOnForeignTopics() throws Exception {
        MqttTopics arm1 = new MqttTopics("arm-1");
        List<String> seen = new CopyOnWriteArrayList<>();
        MqttAsyncClient controller = raw("controller", "c-secret", seen);
        MqttAsyncClient arm2 = raw("arm-2", "secret-2");
        MqttAsyncClient arm1Client = raw("arm-1", "secret-1");
        try {
            controller.subscribe(new String[] {arm1.observation(), arm1.estopFromRobot()}, new int[] {1, 1})
                    .waitForCompletion(5000);
            IMqttToken forged = arm2.publish(arm1.observation(),
                    new MqttMessage("forged".getBytes(StandardCharsets.UTF_8), 1, false, null));
            forged.waitForCompletion(5000);
            arm2.publish(arm1.estopFromRobot(), new MqttMessage("forged".getBytes(StandardCharsets.UTF_8), 1, false,
                    null)).waitForCompletion(5000);
            System.out.println("arm-2 publishing on arm-1's observation topic: PUBACK reason code 0x"
                    + Integer.toHexString(forged.getReasonCodes() == null ? 0 : forged.getReasonCodes()[0]));
            arm1Client.publish(arm1.observation(), new MqttMessage("own".getBytes(StandardCharsets.UTF_8), 1, false,
                    null)).waitForCompletion(5000);
            Await.until("arm-1's own message delivered", () -> seen.contains("own"));
            assertFalse(seen.contains("forged"), "a foreign publish was delivered: " + seen);
            assertEquals(List.of("own"), seen);
        } finally {
            closeAll(controller, arm2, arm1Client);
        }
    }
}
