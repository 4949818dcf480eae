package io.farl.robot.api;

/**
 * The robot side of command expiry: decides, at each tick of the robot's own control cycle, whether the newest
 * command may still be executed or the robot must stop on its own. A command is accepted only when it is newer than
 * the previous one and has not expired; when no accepted command is in force (its expiry passed) or none arrived
 * within {@code timeoutNanos}, {@link #mustStop} is true and the bridge commands zero velocity (gripper unchanged)
 * until a valid command arrives.
 *
 * <p>Not thread-safe: one owner (the bridge's control thread). Pure logic, no clock: the caller passes its monotonic
 * time.
 */
public final class CommandDeadman {
    private final long timeoutNanos;
    private Command current;
    private long acceptedAtNanos;
    private long refused;

    /** @param timeoutNanos longest time without an accepted command before stopping, > 0 */
    public CommandDeadman(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos must be > 0, got " + timeoutNanos);
        }
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * A command arrived at {@code nowNanos}.
     *
     * @return OK when accepted; EXPIRED when past its expiry; FAULT when non-finite or not newer than the current
     */
    public RobotStatus offer(Command command, long nowNanos) {
        if (command == null || command.firstNonFinite() >= 0
                || (current != null && command.sequence() <= current.sequence())) {
            refused++;
            return RobotStatus.FAULT;
        }
        if (command.expiredAt(nowNanos)) {
            refused++;
            return RobotStatus.EXPIRED;
        }
        current = command;
        acceptedAtNanos = nowNanos;
        return RobotStatus.OK;
    }

    /** True when the robot must stop at {@code nowNanos}: no command, the current one expired, or the timeout. */
    public boolean mustStop(long nowNanos) {
        return current == null || current.expiredAt(nowNanos) || nowNanos - acceptedAtNanos > timeoutNanos;
    }

    /** The command in force at {@code nowNanos}, or null when the robot must stop. */
    public Command inForce(long nowNanos) {
        return mustStop(nowNanos) ? null : current;
    }

    /** Commands refused (expired, malformed or out of order). */
    public long refused() {
        return refused;
    }
}
