package io.farl.robot.ros1.node;

import io.farl.robot.ros1.msg.MessageCodec;
import io.farl.robot.ros1.msg.RosDecodeException;
import io.farl.robot.ros1.tcpros.ConnectionHeader;
import io.farl.robot.ros1.tcpros.TcprosFraming;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our connection to one remote publisher of a subscribed topic, on its own thread: requestTopic on the publisher's
 * slave API, TCP connect with TCP_NODELAY, header exchange (md5 checked), then read frames, decode and deliver. On
 * any failure it waits (backoff up to 1 s) and starts over until closed, so a publisher that restarts on the same
 * URI is picked up again; one that moves is announced by the master's publisherUpdate.
 */
final class SubscriberLink<T> {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriberLink.class);
    private static final int MAX_MESSAGE_BYTES = 64 << 20;

    private final String callerId;
    private final String topic;
    private final String publisherUri;
    private final MessageCodec<T> codec;
    private final Consumer<T> listener;
    private final AtomicLong decodeErrors;
    private final int timeoutMillis;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Socket socket;
    private volatile boolean connected;

    SubscriberLink(String callerId, String topic, String publisherUri, MessageCodec<T> codec, Consumer<T> listener,
            AtomicLong decodeErrors, int timeoutMillis) {
        this.callerId = callerId;
        this.topic = topic;
        this.publisherUri = publisherUri;
        this.codec = codec;
        this.listener = listener;
        this.decodeErrors = decodeErrors;
        this.timeoutMillis = timeoutMillis;
        thread = new Thread(this::run, "ros1-sub " + topic + " <- " + publisherUri);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String publisherUri() {
        return publisherUri;
    }

    boolean connected() {
        return connected;
    }

    private void run() {
        long backoffMillis = 50;
        while (!closed) {
            try {
                connectAndRead();
                backoffMillis = 50;
            } catch (IOException | Ros1Exception | RosDecodeException | ClassCastException e) {
                if (!closed) {
                    LOG.info("{} from {}: {}; retrying in {} ms", topic, publisherUri, e.getMessage(), backoffMillis);
                }
            } finally {
                connected = false;
                closeSocket();
            }
            if (closed) {
                break;
            }
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                return;
            }
            backoffMillis = Math.min(1000, backoffMillis * 2);
        }
    }

    private void connectAndRead() throws IOException {
        Object[] proto = (Object[]) new XmlRpcEndpoint(publisherUri, timeoutMillis).call("requestTopic", callerId,
                topic, new Object[] {new Object[] {"TCPROS"}});
        if (proto.length < 3 || !"TCPROS".equals(proto[0])) {
            throw new Ros1Exception("publisher " + publisherUri + " offers no TCPROS: " + java.util.Arrays.toString(proto));
        }
        Socket s = new Socket();
        socket = s;
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress((String) proto[1], (Integer) proto[2]), timeoutMillis);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("callerid", callerId);
        h.put("topic", topic);
        h.put("md5sum", codec.spec().md5());
        h.put("type", codec.type());
        h.put("message_definition", codec.spec().fullText());
        h.put("tcp_nodelay", "1");
        TcprosFraming.writeHeader(s.getOutputStream(), new ConnectionHeader(h));
        InputStream in = new java.io.BufferedInputStream(s.getInputStream());
        ConnectionHeader reply = TcprosFraming.readHeader(in);
        if (reply.get("error") != null) {
            throw new Ros1Exception("publisher refused " + topic + ": " + reply.get("error"));
        }
        String md5 = reply.require("md5sum");
        if (!md5.equals("*") && !md5.equals(codec.spec().md5())) {
            throw new Ros1Exception(topic + ": publisher md5 " + md5 + " != ours " + codec.spec().md5());
        }
        connected = true;
        LOG.debug("{} connected to {}", topic, publisherUri);
        while (!closed) {
            byte[] payload = TcprosFraming.readFrame(in, MAX_MESSAGE_BYTES, topic + " message");
            T value;
            try {
                value = codec.decode(payload);
            } catch (RosDecodeException e) {
                if (decodeErrors.incrementAndGet() % 1000 == 1) {
                    LOG.warn("{} from {}: undecodable message: {}", topic, publisherUri, e.getMessage());
                }
                continue;
            }
            listener.accept(value);
        }
    }

    private void closeSocket() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("close: {}", e.getMessage());
            }
        }
    }

    void close() {
        closed = true;
        closeSocket();
        thread.interrupt();
    }
}
