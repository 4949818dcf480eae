package io.farl.robot.api;

import java.util.Arrays;

/**
 * One action command for the robot, laid out as {@link RobotDescription#actionLayout()}.
 *
 * <p><b>Expiry</b>: every command carries the time after which it must not be executed. A robot (or the robot-side
 * bridge of a remote link) that receives a command after {@code expiresAtNanos}, by its clock in the same monotonic
 * domain as the controller's, refuses it ({@link RobotStatus#EXPIRED}), and a robot-side bridge that receives no
 * valid command for its deadman timeout stops on its own ({@link CommandDeadman}). A velocity-controlled arm thus
 * never keeps executing an old moving command when the controller, its thread or the link dies.
 *
 * @param stampNanos     monotonic time at which the command was issued
 * @param sequence       issuer sequence number, strictly increasing
 * @param expiresAtNanos monotonic time after which the command must not be executed (same clock as the stamp);
 *                       at least {@code stampNanos}
 * @param action         normalised action in {@link RobotDescription#actionLow()}..{@link RobotDescription#actionHigh()};
 *                       not copied, treat as read-only
 */
public record Command(long stampNanos, long sequence, long expiresAtNanos, double[] action) {
    public Command {
        if (action == null) {
            throw new IllegalArgumentException("command action must not be null");
        }
        if (expiresAtNanos < stampNanos) {
            throw new IllegalArgumentException("command expires (" + expiresAtNanos + ") before it was issued ("
                    + stampNanos + ")");
        }
    }

    /** Index of the first non-finite value, or -1 when all are finite. */
    public int firstNonFinite() {
        return Values.firstNonFinite(action);
    }

    /** True when the command must not be executed at {@code nowNanos}. */
    public boolean expiredAt(long nowNanos) {
        return nowNanos > expiresAtNanos;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Command other && stampNanos == other.stampNanos && sequence == other.sequence
                && expiresAtNanos == other.expiresAtNanos && Arrays.equals(action, other.action);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(sequence) + Arrays.hashCode(action);
    }

    @Override
    public String toString() {
        return "Command[stampNanos=" + stampNanos + ", sequence=" + sequence + ", expiresAtNanos=" + expiresAtNanos
                + ", action=" + Arrays.toString(action) + "]";
    }
}
