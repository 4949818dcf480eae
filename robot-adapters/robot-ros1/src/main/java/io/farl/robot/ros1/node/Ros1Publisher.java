package io.farl.robot.ros1.node;

import io.farl.robot.ros1.msg.MessageCodec;
import io.farl.robot.ros1.tcpros.ConnectionHeader;
import io.farl.robot.ros1.tcpros.TcprosFraming;
import java.io.IOException;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A topic this node publishes. {@link #publish} encodes on the caller's thread and hands the frame to every
 * connected subscriber's queue; it never blocks on the network. A latched publisher keeps its last frame and sends
 * it to each new subscriber first.
 *
 * <p>Threads: {@code publish} from any one thread; subscribers are added by the TCPROS server's threads.
 *
 * @param <T> message value type
 */
public final class Ros1Publisher<T> {
    private final String topic;
    private final MessageCodec<T> codec;
    private final boolean latched;
    private final String callerId;
    private final List<PublisherLink> links = new CopyOnWriteArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private volatile byte[] lastFrame;

    Ros1Publisher(String callerId, String topic, MessageCodec<T> codec, boolean latched) {
        this.callerId = callerId;
        this.topic = topic;
        this.codec = codec;
        this.latched = latched;
    }

    public String topic() {
        return topic;
    }

    public MessageCodec<T> codec() {
        return codec;
    }

    public int subscriberCount() {
        return links.size();
    }

    public long published() {
        return published.get();
    }

    /** Frames dropped because a subscriber did not keep up. */
    public long dropped() {
        return links.stream().mapToLong(PublisherLink::dropped).sum();
    }

    /** Sends one message to every connected subscriber without blocking. */
    public void publish(T message) {
        byte[] frame = TcprosFraming.frame(codec.encode(message));
        if (latched) {
            lastFrame = frame;
        }
        for (PublisherLink link : links) {
            link.offer(frame);
        }
        published.incrementAndGet();
    }

    /** Checks a subscriber's header; answers with ours or an error header. True when the link was added. */
    boolean accept(Socket socket, ConnectionHeader request) throws IOException {
        String md5 = request.get("md5sum");
        String type = request.get("type");
        String error = null;
        if (md5 == null || !(md5.equals("*") || md5.equals(codec.spec().md5()))) {
            error = "md5sum mismatch on " + topic + ": we publish " + codec.type() + " " + codec.spec().md5()
                    + ", subscriber wants " + type + " " + md5;
        }
        if (error != null) {
            TcprosFraming.writeHeader(socket.getOutputStream(), new ConnectionHeader(Map.of("error", error)));
            return false;
        }
        if ("1".equals(request.get("tcp_nodelay"))) {
            socket.setTcpNoDelay(true);
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("callerid", callerId);
        h.put("topic", topic);
        h.put("type", codec.type());
        h.put("md5sum", codec.spec().md5());
        h.put("message_definition", codec.spec().fullText());
        h.put("latching", latched ? "1" : "0");
        TcprosFraming.writeHeader(socket.getOutputStream(), new ConnectionHeader(h));
        String subscriber = request.get("callerid") == null ? "?" : request.get("callerid");
        PublisherLink link = new PublisherLink(socket, subscriber, topic, links::remove);
        byte[] latchedFrame = lastFrame;
        if (latched && latchedFrame != null) {
            link.offer(latchedFrame);
        }
        links.add(link);
        link.start();
        return true;
    }

    Object[] busInfo(int[] nextId) {
        return links.stream().map(l -> new Object[] {nextId[0]++, l.subscriberId(), "o", "TCPROS", topic, true})
                .toArray();
    }

    void closeLinks() {
        links.forEach(PublisherLink::close);
        links.clear();
    }
}
