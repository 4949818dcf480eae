package io.farl.robot.ros1.node;

import io.farl.robot.ros1.tcpros.ConnectionHeader;
import io.farl.robot.ros1.tcpros.TcprosFraming;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's TCPROS listening socket. Each accepted connection gets a short-lived thread that reads the
 * subscriber's connection header (with a timeout), finds the publisher of its topic and hands the socket over,
 * or answers an error header and closes.
 */
final class TcprosServer {
    private static final Logger LOG = LoggerFactory.getLogger(TcprosServer.class);
    private static final int HEADER_TIMEOUT_MILLIS = 5000;

    private final ServerSocket server;
    private final Function<String, Ros1Publisher<?>> publishers;
    private final Thread acceptor;
    private volatile boolean closed;

    TcprosServer(String host, Function<String, Ros1Publisher<?>> publishers) throws IOException {
        this.publishers = publishers;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
        acceptor = new Thread(this::acceptLoop, "ros1-tcpros-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> handshake(s), "ros1-tcpros-handshake");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("TCPROS accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void handshake(Socket s) {
        boolean handedOver = false;
        try {
            s.setSoTimeout(HEADER_TIMEOUT_MILLIS);
            ConnectionHeader request = TcprosFraming.readHeader(s.getInputStream());
            s.setSoTimeout(0);
            String topic = request.get("topic");
            Ros1Publisher<?> pub = topic == null ? null : publishers.apply(topic);
            if (pub == null) {
                TcprosFraming.writeHeader(s.getOutputStream(),
                        new ConnectionHeader(Map.of("error", "topic " + topic + " is not published by this node")));
            } else {
                handedOver = pub.accept(s, request);
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("TCPROS handshake from {} failed: {}", s.getRemoteSocketAddress(), e.getMessage());
        } finally {
            if (!handedOver) {
                closeQuietly(s);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debug("close: {}", e.getMessage());
        }
    }

    void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("close: {}", e.getMessage());
        }
    }
}
