package io.farl.robot.api;

/**
 * The robot side of a link (ROS 1, MQTT): runs an {@link EpisodicRobot} at its control rate behind a transport,
 * executes a command only before its expiry, stops the arm through a {@link CommandDeadman} when no valid command
 * arrives within its timeout, publishes state and episode events, and counts what it did.
 *
 * <p>Lifecycle: {@link #start()} once (configures and activates the robot, starts episode 0 and the bridge's own
 * control thread), {@link #close()} once (idempotent; stops the thread, then the transport and the robot).
 */
public interface RobotBridge extends AutoCloseable {

    /** Start the robot, the transport and the control thread; returns this. */
    RobotBridge start();

    /** What the bridge did; exact after {@link #close()}. */
    BridgeCounters counters();

    @Override
    void close();
}
