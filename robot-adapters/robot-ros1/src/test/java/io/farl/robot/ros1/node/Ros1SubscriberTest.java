package io.farl.robot.ros1.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.farl.robot.ros1.msg.GeometryMsgs;
import io.farl.robot.ros1.msg.RosTypes.Pose;
import io.farl.robot.ros1.msg.RosTypes.Quaternion;
import io.farl.robot.ros1.msg.RosTypes.Vector3;
import io.farl.robot.ros1.tcpros.ConnectionHeader;
import io.farl.robot.ros1.tcpros.TcprosFraming;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A subscriber against a hand-made publisher that sends garbage: it counts, skips, reconnects, never dies. */
class Ros1SubscriberTest {
    private Ros1Node node;
    private SlaveServer fakeSlave;
    private ServerSocket fakeTcpros;
    private final BlockingQueue<Pose> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        node = new Ros1Node(new Ros1NodeConfig("/farl_sub", "http://127.0.0.1:1/", "127.0.0.1", 500, 1000)).start();
        fakeTcpros = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        fakeSlave = new SlaveServer("127.0.0.1", new SlaveServer.Handler() {
            @Override
            public Object[] requestTopic(String callerId, String topic, Object[] protocols) {
                return new Object[] {"TCPROS", "127.0.0.1", fakeTcpros.getLocalPort()};
            }

            @Override
            public void publisherUpdate(String topic, List<String> publisherUris) {
            }

            @Override
            public Object[] busInfo() {
                return new Object[0];
            }

            @Override
            public String masterUri() {
                return "";
            }

            @Override
            public void shutdownRequested(String callerId, String reason) {
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
        fakeSlave.close();
        fakeTcpros.close();
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private Socket acceptAndHandshake() throws Exception {
        fakeTcpros.setSoTimeout(30_000);
        Socket s = fakeTcpros.accept();
        ConnectionHeader request = TcprosFraming.readHeader(s.getInputStream());
        assertEquals("/pose", request.get("topic"));
        assertEquals("1", request.get("tcp_nodelay"));
        assertEquals(GeometryMsgs.POSE.spec().md5(), request.get("md5sum"));
        TcprosFraming.writeHeader(s.getOutputStream(), new ConnectionHeader(Map.of("md5sum",
                GeometryMsgs.POSE.spec().md5(), "type", "geometry_msgs/Pose", "callerid", "/fake")));
        return s;
    }

    @Test
    void shouldSkipUndecodableMessagesAndReconnectAfterABrokenFrame() throws Exception {
        Ros1Subscriber<Pose> sub = node.subscribe("/pose", GeometryMsgs.POSE, received::add);
        node.publisherUpdate("/pose", List.of(fakeSlave.uri()));
        Pose pose = new Pose(new Vector3(1, 2, 3), Quaternion.IDENTITY);
        try (Socket first = acceptAndHandshake()) {
            OutputStream out = first.getOutputStream();
            out.write(TcprosFraming.frame(new byte[] {1, 2, 3}));
            out.write(TcprosFraming.frame(new byte[100]));
            out.write(TcprosFraming.frame(GeometryMsgs.POSE.encode(pose)));
            out.flush();
            assertEquals(pose, received.poll(30, TimeUnit.SECONDS));
            assertEquals(2, sub.decodeErrors());
            out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 0});
            out.flush();
            try (Socket second = acceptAndHandshake()) {
                second.getOutputStream().write(TcprosFraming.frame(GeometryMsgs.POSE.encode(pose)));
                assertEquals(pose, received.poll(30, TimeUnit.SECONDS), "reconnected after the oversized frame");
            }
        }
        await("link down after the publisher closed", () -> sub.connectedPublishers() == 0);
        node.publisherUpdate("/pose", List.of());
        assertTrue(received.isEmpty());
    }

    @Test
    void shouldRetryAPublisherThatRefusesTheConnection() throws Exception {
        Ros1Subscriber<Pose> sub = node.subscribe("/pose", GeometryMsgs.POSE, received::add);
        node.publisherUpdate("/pose", List.of(fakeSlave.uri()));
        fakeTcpros.setSoTimeout(30_000);
        try (Socket s = fakeTcpros.accept()) {
            TcprosFraming.readHeader(s.getInputStream());
            TcprosFraming.writeHeader(s.getOutputStream(), new ConnectionHeader(Map.of("error", "go away")));
        }
        try (Socket s = acceptAndHandshake()) {
            await("connected on the second try", () -> sub.connectedPublishers() == 1);
        }
    }
}
