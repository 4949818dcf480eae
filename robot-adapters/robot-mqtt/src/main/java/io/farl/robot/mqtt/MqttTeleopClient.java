package io.farl.robot.mqtt;

import java.util.List;
import java.util.function.Consumer;

/**
 * The controller's end of teleoperation over MQTT: takes the operator device's commands ({@code TeleopCommand}, QoS 0,
 * on {@code farl/v1/<robot>/teleop/command}) and events ({@code OperatorEvent}, QoS 1, {@code …/teleop/event}), and
 * publishes each ended episode for review ({@code EpisodeReview}, QoS 1, {@code …/teleop/review}). Payloads are
 * opaque bytes here; the controller decodes and checks them.
 *
 * <p>Threads: connecting on the link's I/O thread, incoming messages on Paho's callback thread (the consumers must
 * not block); publishing never waits for the network.
 */
public final class MqttTeleopClient implements AutoCloseable {
    private final MqttTopics topics;
    private final MqttLink link;

    /**
     * @param config   the link to the broker; {@code config.robot()} names the robot being recorded
     * @param commands receives every command payload
     * @param events   receives every event payload
     */
    public MqttTeleopClient(MqttLinkConfig config, Consumer<byte[]> commands, Consumer<byte[]> events) {
        if (commands == null || events == null) {
            throw new IllegalArgumentException("commands and events must be given");
        }
        this.topics = config.topics();
        String clientId = "farl-teleop-" + config.robot() + "-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        String commandTopic = topics.teleopCommand();
        this.link = new MqttLink(config, clientId, List.of(new MqttLink.Subscription(commandTopic, 0),
                new MqttLink.Subscription(topics.teleopEvent(), 1)), null, new MqttLink.Handler() {
                    @Override
                    public void onMessage(String topic, byte[] payload) {
                        (topic.equals(commandTopic) ? commands : events).accept(payload);
                    }

                    @Override
                    public void onUp(long epoch) {
                    }

                    @Override
                    public void onDown(long epoch, String cause) {
                    }
                });
    }

    public void start() {
        link.start();
    }

    public boolean up() {
        return link.up();
    }

    /** An {@code EpisodeReview}, QoS 1; false when nothing was sent (link down). */
    public boolean publishReview(byte[] payload) {
        return link.publish(topics.teleopReview(), payload, 1, false, link.epoch()) != null;
    }

    public String lastError() {
        return link.lastError();
    }

    @Override
    public void close() {
        link.close();
    }
}
