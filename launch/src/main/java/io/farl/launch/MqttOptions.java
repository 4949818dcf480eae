package io.farl.launch;

import io.farl.robot.mqtt.MqttLinkConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The MQTT link options of one robot, shared by {@code farl run --robot mqtt} and {@code farl sim-robot --transport
 * mqtt}: the broker ({@link BrokerOptions}) and the robot id.
 */
final class MqttOptions {
    static final String PASSWORD_ENV = BrokerOptions.PASSWORD_ENV;
    static final String DEFAULT_BROKER = BrokerOptions.DEFAULT_BROKER;
    static final String DEFAULT_ROBOT_ID = "sim";

    @Mixin
    BrokerOptions broker = new BrokerOptions();

    @Option(names = "--robot-id", paramLabel = "ID", description = "Robot id: the topics are farl/v1/ID/... "
            + "(default: link.mqtt.robot_id, else " + DEFAULT_ROBOT_ID + ").")
    String robotId;

    /** The link settings from the options alone. */
    MqttLinkConfig link() {
        return link(LinkSettings.NONE.mqtt());
    }

    /**
     * The link settings: each option given on the command line, else the file's value, else the default. Bad values
     * are a {@link BadInputException} naming the option.
     */
    MqttLinkConfig link(LinkSettings.Mqtt file) {
        return broker.link(first(robotId, file.robotId(), DEFAULT_ROBOT_ID), file);
    }

    static String first(String option, String file, String fallback) {
        return option != null ? option : file != null ? file : fallback;
    }
}
