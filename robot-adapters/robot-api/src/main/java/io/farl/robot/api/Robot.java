package io.farl.robot.api;

/**
 * A robot as the control loop sees it: a lifecycle plus {@code read}/{@code write}. The loop owns time and
 * passes {@code (now, period)}; implementations never sleep, schedule or retry inside {@code read} or
 * {@code write}. Slow transports work on their own thread and {@code read} returns their newest sample.
 *
 * <p>Lifecycle: {@code configure} (UNCONFIGURED → INACTIVE), {@code activate} (INACTIVE → ACTIVE),
 * {@code deactivate} (ACTIVE → INACTIVE), {@code close} (any → FINALIZED). Any other transition throws
 * {@link IllegalStateException}. Activation and deactivation clear the latest observation so nothing from
 * before is replayed. Implementations extend {@link LifecycleRobot}, which owns this table.
 *
 * <p>Command expiry: every {@link Command} carries {@link Command#expiresAtNanos()}; a robot never executes a command
 * after it (it answers {@link RobotStatus#EXPIRED}), and a robot behind a link keeps a {@link CommandDeadman} that
 * stops the arm when no valid command arrives within its timeout.
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
     * @return OK when the command was handed to the robot; FAULT for a malformed command and EXPIRED for one past its
     *         expiry (nothing sent in either case)
     */
    RobotStatus write(long nowNanos, long periodNanos, Command command);

    /**
     * The gripper command that keeps the gripper as {@code measured} (normalised action units), so that the first hold
     * after activation does not move it; NaN when the robot has no gripper or cannot tell (the controller then holds
     * the gripper at its neutral command until the first command).
     */
    default double measuredGripperCommand(Observation measured) {
        return Double.NaN;
    }
}
