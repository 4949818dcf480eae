package io.farl.robot.mqtt;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The controller's end of remote inference over MQTT v5 request/response: publishes each request (QoS 0) on
 * {@code farl/v1/<robot>/inference/request} with the response topic {@code farl/v1/<robot>/inference/reply} and the
 * request id as correlation data (8 bytes, big-endian), and hands every reply carrying such correlation data to the
 * {@link ReplyListener}. Payloads are opaque bytes here (the controller encodes and checks them).
 *
 * <p>Threads: connecting and back-off on the link's I/O thread, replies on Paho's callback thread; {@link #send}
 * never waits for the network. A request is sent only while the link is up: nothing produced before an outage is sent
 * after it.
 */
public final class MqttInferenceClient implements AutoCloseable {

    /** Receives replies on Paho's thread: decode, store, return. */
    public interface ReplyListener {
        void onReply(long requestId, byte[] payload);
    }

    private final MqttTopics topics;
    private final MqttLink link;
    private final ReplyListener listener;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong notSent = new AtomicLong();
    private final AtomicLong replies = new AtomicLong();
    private final AtomicLong uncorrelated = new AtomicLong();

    /**
     * @param config the link to the broker; {@code config.robot()} names the robot this controller drives
     */
    public MqttInferenceClient(MqttLinkConfig config, ReplyListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        this.topics = config.topics();
        this.listener = listener;
        String clientId = "farl-infer-" + config.robot() + "-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        this.link = new MqttLink(config, clientId, List.of(new MqttLink.Subscription(topics.inferenceReply(), 0)),
                null, new Handler());
    }

    /** Start connecting on the link's I/O thread; returns at once. */
    public void start() {
        link.start();
    }

    public boolean up() {
        return link.up();
    }

    /**
     * Publish one request (QoS 0, not retained).
     *
     * @return false when nothing was sent (link down, or Paho refused)
     */
    public boolean send(long requestId, byte[] payload) {
        MqttProperties p = new MqttProperties();
        p.setResponseTopic(topics.inferenceReply());
        p.setCorrelationData(ByteBuffer.allocate(Long.BYTES).putLong(requestId).array());
        boolean ok = link.publish(topics.inferenceRequest(), payload, 0, false, link.epoch(), p) != null;
        (ok ? sent : notSent).incrementAndGet();
        return ok;
    }

    public long sent() {
        return sent.get();
    }

    /** Requests not sent because the link was down or the client refused them. */
    public long notSent() {
        return notSent.get();
    }

    public long replies() {
        return replies.get();
    }

    /** Replies dropped because they carried no 8-byte correlation data. */
    public long uncorrelated() {
        return uncorrelated.get();
    }

    public long connects() {
        return link.connects();
    }

    public String lastError() {
        return link.lastError();
    }

    @Override
    public void close() {
        link.close();
    }

    private final class Handler implements MqttLink.Handler {
        @Override
        public void onMessage(String topic, byte[] payload) {
            uncorrelated.incrementAndGet();
        }

        @Override
        public void onMessage(String topic, byte[] payload, MqttProperties properties) {
            byte[] c = properties == null ? null : properties.getCorrelationData();
            if (c == null || c.length != Long.BYTES) {
                uncorrelated.incrementAndGet();
                return;
            }
            replies.incrementAndGet();
            listener.onReply(ByteBuffer.wrap(c).getLong(), payload);
        }

        @Override
        public void onUp(long epoch) {
        }

        @Override
        public void onDown(long epoch, String cause) {
        }
    }
}
