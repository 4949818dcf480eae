package io.farl.robot.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The inference server's end of MQTT v5 request/response: subscribes to the request topics of the given robots (or of
 * every robot, {@code farl/v1/+/inference/request}) and answers on each request's response topic with its correlation
 * data echoed. A request is refused (counted, never answered) when its topic names no valid robot id, it carries no
 * correlation data, or its response topic is not that robot's own {@code farl/v1/<robot>/inference/reply}: the
 * server publishes only where the requesting robot may read, whatever a requester asks for.
 *
 * <p>Threads: requests arrive on Paho's callback thread ({@link RequestListener} must queue and return); a
 * {@link Responder} may be called from any thread, once.
 */
public final class MqttInferenceServerLink implements AutoCloseable {

    /** Receives each accepted request on Paho's thread. */
    public interface RequestListener {
        void onRequest(String robot, byte[] payload, Responder responder);
    }

    /** Answers one request. */
    public interface Responder {
        /** @return false when nothing was sent (link down since the request arrived, or Paho refused) */
        boolean reply(byte[] payload);
    }

    private final MqttLink link;
    private final RequestListener listener;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong replies = new AtomicLong();
    private final AtomicLong repliesNotSent = new AtomicLong();

    /**
     * @param config   the link to the broker; {@code config.robot()} is this server's own id (its client id)
     * @param robots   robot ids to serve; empty for every robot
     */
    public MqttInferenceServerLink(MqttLinkConfig config, Set<String> robots, RequestListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        this.listener = listener;
        List<MqttLink.Subscription> subs = new ArrayList<>();
        if (robots.isEmpty()) {
            subs.add(new MqttLink.Subscription(MqttTopics.allInferenceRequests(), 0));
        } else {
            for (String r : robots) {
                subs.add(new MqttLink.Subscription(new MqttTopics(r).inferenceRequest(), 0));
            }
        }
        this.link = new MqttLink(config, "farl-serve-" + config.robot(), subs, null, new Handler());
    }

    public void start() {
        link.start();
    }

    public boolean up() {
        return link.up();
    }

    public long requests() {
        return requests.get();
    }

    /** Requests dropped unanswered: bad topic, no correlation data, or a response topic other than the robot's. */
    public long refused() {
        return refused.get();
    }

    public long replies() {
        return replies.get();
    }

    public long repliesNotSent() {
        return repliesNotSent.get();
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
            refused.incrementAndGet();
        }

        @Override
        public void onMessage(String topic, byte[] payload, MqttProperties properties) {
            String robot = MqttTopics.robotOf(topic);
            if (robot == null || !topic.equals(new MqttTopics(robot).inferenceRequest()) || properties == null) {
                refused.incrementAndGet();
                return;
            }
            String replyTopic = new MqttTopics(robot).inferenceReply();
            byte[] correlation = properties.getCorrelationData();
            if (correlation == null || correlation.length == 0 || !replyTopic.equals(properties.getResponseTopic())) {
                refused.incrementAndGet();
                return;
            }
            long epoch = link.epoch();
            requests.incrementAndGet();
            listener.onRequest(robot, payload, reply -> {
                MqttProperties p = new MqttProperties();
                p.setCorrelationData(correlation);
                boolean ok = link.publish(replyTopic, reply, 0, false, epoch, p) != null;
                (ok ? replies : repliesNotSent).incrementAndGet();
                return ok;
            });
        }

        @Override
        public void onUp(long epoch) {
        }

        @Override
        public void onDown(long epoch, String cause) {
        }
    }
}
