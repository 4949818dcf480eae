package io.farl.robot.mqtt;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The robot's end of learning across the link over MQTT: publishes step batches (QoS 1) on
 * {@code farl/v1/<robot>/learn/steps} and its learning status (QoS 1, retained) on {@code …/learn/status}, and hands
 * acknowledgements, policy updates (retained: the newest arrives at every connection) and control commands to the
 * {@link Listener}. Payloads are opaque bytes here; the controller encodes and checks them.
 *
 * <p>Threads: connecting and back-off on the link's I/O thread, incoming messages on Paho's callback thread; the
 * publishing methods never wait for the network.
 */
public final class MqttLearnClient implements AutoCloseable {

    /** Receives the learner's messages on Paho's thread: decode, store, return. */
    public interface Listener {
        void onAck(byte[] payload);

        void onPolicy(byte[] payload);

        void onControl(byte[] payload);
    }

    private final MqttTopics topics;
    private final MqttLink link;
    private final Listener listener;
    private final AtomicLong batchesSent = new AtomicLong();
    private final AtomicLong batchesNotSent = new AtomicLong();
    private final AtomicLong policies = new AtomicLong();

    /**
     * @param config the link to the broker; {@code config.robot()} names this robot
     */
    public MqttLearnClient(MqttLinkConfig config, Listener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        this.topics = config.topics();
        this.listener = listener;
        String clientId = "farl-learn-" + config.robot() + "-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        this.link = new MqttLink(config, clientId, List.of(new MqttLink.Subscription(topics.learnAck(), 0),
                new MqttLink.Subscription(topics.learnPolicy(), 1), new MqttLink.Subscription(topics.learnControl(),
                        1)), null, new Handler());
    }

    public void start() {
        link.start();
    }

    public boolean up() {
        return link.up();
    }

    /** One {@code StepBatch}, QoS 1; false when nothing was sent (link down, or Paho refused). */
    public boolean sendSteps(byte[] payload) {
        boolean ok = link.publish(topics.learnSteps(), payload, 1, false, link.epoch()) != null;
        (ok ? batchesSent : batchesNotSent).incrementAndGet();
        return ok;
    }

    /** This robot's {@code LearnStatus}, QoS 1, retained. */
    public boolean publishStatus(byte[] payload) {
        return link.publish(topics.learnStatus(), payload, 1, true, link.epoch()) != null;
    }

    public long batchesSent() {
        return batchesSent.get();
    }

    public long batchesNotSent() {
        return batchesNotSent.get();
    }

    public long policiesReceived() {
        return policies.get();
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
            if (topic.equals(topics.learnAck())) {
                listener.onAck(payload);
            } else if (topic.equals(topics.learnPolicy())) {
                if (payload.length > 0) {
                    policies.incrementAndGet();
                    listener.onPolicy(payload);
                }
            } else if (topic.equals(topics.learnControl())) {
                listener.onControl(payload);
            }
        }

        @Override
        public void onUp(long epoch) {
        }

        @Override
        public void onDown(long epoch, String cause) {
        }
    }
}
