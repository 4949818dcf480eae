package io.farl.robot.ros1.node;

/**
 * Settings of one {@link Ros1Node}.
 *
 * @param name                   global node name, e.g. {@code /farl_controller}
 * @param masterUri              ROS_MASTER_URI, e.g. {@code http://127.0.0.1:11311/}
 * @param host                   address this node binds and advertises (ROS_IP / ROS_HOSTNAME)
 * @param callTimeoutMillis      connection and reply timeout of every XML-RPC call and TCP connect
 * @param masterCheckPeriodMillis how often the master is checked; a restarted master gets every registration again
 */
public record Ros1NodeConfig(String name, String masterUri, String host, int callTimeoutMillis,
        long masterCheckPeriodMillis) {
    public Ros1NodeConfig {
        if (name == null || !name.startsWith("/") || name.length() < 2) {
            throw new IllegalArgumentException("node name must be a global name like /farl, got " + name);
        }
        if (masterUri == null || !masterUri.startsWith("http://")) {
            throw new IllegalArgumentException("master URI must be http://host:port/, got " + masterUri);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (callTimeoutMillis <= 0 || masterCheckPeriodMillis <= 0) {
            throw new IllegalArgumentException("callTimeoutMillis and masterCheckPeriodMillis must be > 0, got "
                    + callTimeoutMillis + ", " + masterCheckPeriodMillis);
        }
    }

    /** Defaults: 2 s call timeout, master checked every 500 ms. */
    public static Ros1NodeConfig of(String name, String masterUri, String host) {
        return new Ros1NodeConfig(name, masterUri, host, 2000, 500);
    }
}
