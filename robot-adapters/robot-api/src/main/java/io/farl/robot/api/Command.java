package io.farl.robot.api;

import java.util.Arrays;

/**
 * One action command for the robot, laid out as {@link RobotDescription#actionLayout()}.
 *
 * @param stampNanos monotonic time at which the command was issued
 * @param sequence   issuer sequence number, strictly increasing
 * @param action     normalised action in {@link RobotDescription#actionLow()}..{@link RobotDescription#actionHigh()};
 *                   not copied, treat as read-only
 */
public record Command(long stampNanos, long sequence, double[] action) {
    public Command {
        if (action == null) {
            throw new IllegalArgumentException("command action must not be null");
        }
    }

    /** Index of the first non-finite value, or -1 when all are finite. */
    public int firstNonFinite() {
        return Values.firstNonFinite(action);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Command other && stampNanos == other.stampNanos && sequence == other.sequence
                && Arrays.equals(action, other.action);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(sequence) + Arrays.hashCode(action);
    }

    @Override
    public String toString() {
        return "Command[stampNanos=" + stampNanos + ", sequence=" + sequence + ", action=" + Arrays.toString(action)
                + "]";
    }
}
