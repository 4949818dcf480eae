package io.farl.robot.mqtt;

import javax.net.ssl.SSLSocketFactory;

/**
 * Connection settings of one end of the MQTT link. Validated on construction.
 *
 * @param serverUri             {@code tcp://host:port} or {@code ssl://host:port}
 * @param robot                 robot id; selects the topics ({@link MqttTopics})
 * @param username              broker user, null for anonymous
 * @param password              broker password, null for none
 * @param tls                   TLS socket factory (trust store of the broker's CA), required for {@code ssl://}
 * @param connectTimeoutNanos   time one connection attempt may take, > 0
 * @param keepAliveSeconds      MQTT keep-alive, >= 1; the broker drops (and fires the will of) a silent client after
 *                              1.5 of it
 * @param reconnectInitialNanos first back-off after a failed attempt, > 0
 * @param reconnectMaxNanos     longest back-off, >= the initial one
 */
public record MqttLinkConfig(String serverUri, String robot, String username, String password, SSLSocketFactory tls,
        long connectTimeoutNanos, int keepAliveSeconds, long reconnectInitialNanos, long reconnectMaxNanos) {

    public MqttLinkConfig {
        if (serverUri == null || !(serverUri.startsWith("tcp://") || serverUri.startsWith("ssl://"))) {
            throw new IllegalArgumentException("serverUri must start with tcp:// or ssl://, got " + serverUri);
        }
        if (serverUri.startsWith("ssl://") && tls == null) {
            throw new IllegalArgumentException("ssl:// needs a TLS socket factory");
        }
        new MqttTopics(robot);
        if (connectTimeoutNanos <= 0 || keepAliveSeconds < 1 || reconnectInitialNanos <= 0
                || reconnectMaxNanos < reconnectInitialNanos) {
            throw new IllegalArgumentException("need connectTimeoutNanos > 0, keepAliveSeconds >= 1, 0 < "
                    + "reconnectInitialNanos <= reconnectMaxNanos");
        }
    }

    /** Plain TCP, anonymous, 2 s connect timeout, 2 s keep-alive, back-off 50 ms .. 2 s. */
    public static MqttLinkConfig of(String serverUri, String robot) {
        return of(serverUri, robot, null);
    }

    /** As {@link #of(String, String)}, with TLS for an {@code ssl://} URI ({@code tls} null for {@code tcp://}). */
    public static MqttLinkConfig of(String serverUri, String robot, SSLSocketFactory tls) {
        return new MqttLinkConfig(serverUri, robot, null, null, tls, 2_000_000_000L, 2, 50_000_000L,
                2_000_000_000L);
    }

    public MqttLinkConfig withCredentials(String user, String pass) {
        return new MqttLinkConfig(serverUri, robot, user, pass, tls, connectTimeoutNanos, keepAliveSeconds,
                reconnectInitialNanos, reconnectMaxNanos);
    }

    public MqttLinkConfig withTls(String sslUri, SSLSocketFactory factory) {
        return new MqttLinkConfig(sslUri, robot, username, password, factory, connectTimeoutNanos, keepAliveSeconds,
                reconnectInitialNanos, reconnectMaxNanos);
    }

    public MqttTopics topics() {
        return new MqttTopics(robot);
    }

    @Override
    public String toString() {
        return "MqttLinkConfig[" + serverUri + ", robot=" + robot + ", user=" + username + "]";
    }
}
