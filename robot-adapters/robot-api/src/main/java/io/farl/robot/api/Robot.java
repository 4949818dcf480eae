package io.farl.robot.api;

/**
 * A robot as the control loop sees it: a lifecycle plus {@code read}/{@code write}. The loop owns time and
 * passes {@code (now, period)}; implementations never sleep, schedule or retry inside {@code read} or
 * {@code write}. Slow transports work on their own thread and {@code read} returns their newest sample.
 *
 * <p>Lifecycle: {@code configure} (UNCONFIGURED → INACTIVE), {@code activate} (INACTIVE → ACTIVE),
 * {@code deactivate} (ACTIVE → INACTIVE), {@code close} (any → FINALIZED). Any other transition throws
 * {@link IllegalStateException}. Activation and deactivation clear the latest observation so nothing from
 * before is replayed.
 */
public interface Robot extends AutoCloseable {

    /** Limits, layouts and rate; available once configured. */
    RobotDescription description();

    LifecycleState state();

    void configure();

    void activate();

    void deactivate();

    @Override
    void close();

    /**
     * Refresh the latest observation.
     *
     * @param nowNanos    loop time, monotonic
     * @param periodNanos time since the previous cycle
     * @return OK when {@link #latest()} holds a fresh, finite observation
     */
    RobotStatus read(long nowNanos, long periodNanos);

    /** The newest observation accepted by {@link #read}, or null before the first one. */
    Observation latest();

    /**
     * Send one command. The caller has already passed it through the safety envelope.
     *
     * @return OK when the command was handed to the robot; FAULT for a malformed command (nothing sent)
     */
    RobotStatus write(long nowNanos, long periodNanos, Command command);
}
