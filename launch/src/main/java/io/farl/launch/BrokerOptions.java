package io.farl.launch;

import io.farl.robot.mqtt.MqttLinkConfig;
import io.farl.robot.mqtt.MqttTls;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How to reach the MQTT broker: address, user and CA, shared by every verb that talks MQTT. The password is read from
 * the environment variable {@value #PASSWORD_ENV}, never from the command line (where other users of the machine
 * could read it).
 */
final class BrokerOptions {
    static final String PASSWORD_ENV = "FARL_MQTT_PASSWORD";
    static final String DEFAULT_BROKER = "tcp://127.0.0.1:1883";

    @Option(names = "--broker", paramLabel = "URI", description = "MQTT broker, tcp://host:port or ssl://host:port "
            + "(default: the robot configuration's link.mqtt.broker, else " + DEFAULT_BROKER + ").")
    String broker;

    @Option(names = "--mqtt-user", paramLabel = "USER", description = "Broker user; the password comes from $"
            + PASSWORD_ENV + ".")
    String user;

    @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate(s) the ssl:// broker's certificate "
            + "must chain to.")
    Path ca;

    /**
     * The link settings of client {@code id} (a robot id, or a server's own id): each option given on the command
     * line, else the file's value, else the default. Bad values are a {@link BadInputException} naming the option.
     */
    MqttLinkConfig link(String id, LinkSettings.Mqtt file) {
        String broker = MqttOptions.first(this.broker, file.broker(), DEFAULT_BROKER);
        String user = MqttOptions.first(this.user, file.user(), null);
        Path ca = this.ca != null ? this.ca : file.ca();
        boolean ssl = broker.startsWith("ssl://");
        if (ssl && ca == null) {
            throw new BadInputException("--broker " + broker + " needs --ca (the broker's CA certificate)");
        }
        if (!ssl && ca != null) {
            throw new BadInputException("--ca is for ssl:// brokers; --broker is " + broker);
        }
        String password = null;
        if (user != null) {
            password = System.getenv(PASSWORD_ENV);
            if (password == null || password.isEmpty()) {
                throw new BadInputException("--mqtt-user " + user + " needs the password in $" + PASSWORD_ENV);
            }
        }
        try {
            MqttLinkConfig c = MqttLinkConfig.of(broker, id, ssl ? MqttTls.trusting(ca) : null);
            return user == null ? c : c.withCredentials(user, password);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--broker/--robot-id/--ca: " + e.getMessage());
        }
    }
}
