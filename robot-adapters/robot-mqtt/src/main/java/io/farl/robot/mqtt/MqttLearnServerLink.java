package io.farl.robot.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The learner's end of learning across the link over MQTT: subscribes to the step batches of the given robots (or of
 * every robot, {@code farl/v1/+/learn/steps}, QoS 1) and publishes acknowledgements (QoS 0), policy updates (QoS 1,
 * retained, so a robot that connects later gets the newest at once) and control commands on each robot's own topics.
 * A message on a topic that names no valid robot id is refused and counted.
 *
 * <p>Threads: batches arrive on Paho's callback thread ({@link Listener} must queue and return); the publishing methods
 * never wait for the network.
 */
public final class MqttLearnServerLink implements AutoCloseable {

    /** Receives each step batch on Paho's thread. */
    public interface Listener {
        void onSteps(String robot, byte[] payload);
    }

    private final MqttLink link;
    private final Listener listener;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong notSent = new AtomicLong();

    /**
     * @param config the link to the broker; {@code config.robot()} is this learner's own id (its client id)
     * @param robots robot ids to learn from; empty for every robot
     */
    public MqttLearnServerLink(MqttLinkConfig config, Set<String> robots, Listener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        this.listener = listener;
        List<MqttLink.Subscription> subs = new ArrayList<>();
        if (robots.isEmpty()) {
            subs.add(new MqttLink.Subscription(MqttTopics.allLearnSteps(), 1));
        } else {
            for (String r : robots) {
                subs.add(new MqttLink.Subscription(new MqttTopics(r).learnSteps(), 1));
            }
        }
        this.link = new MqttLink(config, "farl-learner-" + config.robot(), subs, null, new Handler());
    }

    public void start() {
        link.start();
    }

    public boolean up() {
        return link.up();
    }

    /**
     * A {@code StepAck} to {@code robot}, QoS 0: an acknowledgement lost on the way costs a resend, answered DUPLICATE,
     * while QoS 1 acknowledgements would share the broker's in-flight window with the (large) policy updates.
     */
    public boolean ack(String robot, byte[] payload) {
        return sent(link.publish(new MqttTopics(robot).learnAck(), payload, 0, false, link.epoch()) != null);
    }

    /** A {@code PolicyUpdate} to {@code robot}, QoS 1, retained. */
    public boolean policy(String robot, byte[] payload) {
        return sent(link.publish(new MqttTopics(robot).learnPolicy(), payload, 1, true, link.epoch()) != null);
    }

    /** A {@code LearnControl} to {@code robot}, QoS 1. */
    public boolean control(String robot, byte[] payload) {
        return sent(link.publish(new MqttTopics(robot).learnControl(), payload, 1, false, link.epoch()) != null);
    }

    private boolean sent(boolean ok) {
        if (!ok) {
            notSent.incrementAndGet();
        }
        return ok;
    }

    public long batches() {
        return batches.get();
    }

    public long refused() {
        return refused.get();
    }

    public long notSent() {
        return notSent.get();
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
            String robot = MqttTopics.robotOf(topic);
            if (robot == null || !topic.equals(new MqttTopics(robot).learnSteps())) {
                refused.incrementAndGet();
                return;
            }
            batches.incrementAndGet();
            listener.onSteps(robot, payload);
        }

        @Override
        public void onUp(long epoch) {
        }

        @Override
        public void onDown(long epoch, String cause) {
        }
    }
}
