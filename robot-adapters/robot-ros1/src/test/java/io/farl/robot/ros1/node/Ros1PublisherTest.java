package io.farl.robot.ros1.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.ros1.msg.RosTypes.Header;
import io.farl.robot.ros1.msg.RosTypes.JointState;
import io.farl.robot.ros1.msg.SensorMsgs;
import io.farl.robot.ros1.tcpros.ConnectionHeader;
import io.farl.robot.ros1.tcpros.TcprosFraming;
import java.io.InputStream;
import java.net.Socket;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node without a master: slave API and TCPROS handshakes driven by hand, through raw sockets. */
class Ros1PublisherTest {
    private Ros1Node node;
    private Ros1Publisher<JointState> pub;
    private int port;

    @BeforeEach
    void start() {
        node = new Ros1Node(new Ros1NodeConfig("/farl_test", "http://127.0.0.1:1/", "127.0.0.1", 500, 1000)).start();
        pub = node.advertise("/joints", SensorMsgs.JOINT_STATE, true);
        Object[] proto = (Object[]) new XmlRpcEndpoint(node.slaveUri(), 2000).call("requestTopic", "/peer", "/joints",
                new Object[] {new Object[] {"TCPROS"}});
        port = (Integer) proto[2];
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private Socket connect(String md5) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("callerid", "/peer");
        h.put("topic", "/joints");
        h.put("md5sum", md5);
        h.put("type", "sensor_msgs/JointState");
        h.put("tcp_nodelay", "1");
        TcprosFraming.writeHeader(s.getOutputStream(), new ConnectionHeader(h));
        return s;
    }

    private static JointState big(long seq) {
        double[] v = new double[1000];
        return new JointState(new Header(seq, 0, "f"), Collections.nCopies(1000, "j"), v, v, v);
    }

    @Test
    void shouldAnswerAWrongMd5WithAnErrorHeader() throws Exception {
        try (Socket s = connect("0123456789abcdef0123456789abcdef")) {
            ConnectionHeader reply = TcprosFraming.readHeader(s.getInputStream());
            assertNotNull(reply.get("error"));
            assertTrue(reply.get("error").contains("md5sum mismatch"), reply.get("error"));
        }
    }

    @Test
    void shouldNeverBlockOnASubscriberThatDoesNotRead() throws Exception {
        pub.publish(big(0));
        try (Socket s = connect("*")) {
            InputStream in = s.getInputStream();
            ConnectionHeader reply = TcprosFraming.readHeader(in);
            assertEquals("1", reply.get("latching"));
            assertEquals(SensorMsgs.JOINT_STATE.spec().md5(), reply.get("md5sum"));
            assertTrue(reply.get("message_definition").contains("MSG: std_msgs/Header"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (pub.subscriberCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long slowest = 0;
            for (int i = 1; i <= 2000; i++) {
                long t0 = System.nanoTime();
                pub.publish(big(i));
                slowest = Math.max(slowest, System.nanoTime() - t0);
            }
            System.out.printf("2000 publishes of 32 kB to a subscriber that does not read: slowest %.3f ms, "
                    + "%d dropped%n", slowest / 1e6, pub.dropped());
            assertTrue(pub.dropped() > 0, "a subscriber that does not read must cost drops, not blocking");
            JointState first = SensorMsgs.JOINT_STATE.decode(TcprosFraming.readFrame(in, 1 << 20, "message"));
            assertEquals(0, first.header().seq(), "the latched message comes first");
            long last = 0;
            for (int i = 0; i < 5; i++) {
                last = SensorMsgs.JOINT_STATE.decode(TcprosFraming.readFrame(in, 1 << 20, "message")).header().seq();
            }
            assertTrue(last > 0);
        }
    }

    @Test
    void shouldListItsConnectionsInBusInfo() throws Exception {
        try (Socket s = connect("*")) {
            TcprosFraming.readHeader(s.getInputStream());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (pub.subscriberCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Object[] info = (Object[]) new XmlRpcEndpoint(node.slaveUri(), 2000).call("getBusInfo", "/peer");
            assertEquals(1, info.length);
            assertEquals(List.of("/peer", "o", "TCPROS", "/joints"), List.of(((Object[]) info[0])).subList(1, 5));
        }
    }
}
