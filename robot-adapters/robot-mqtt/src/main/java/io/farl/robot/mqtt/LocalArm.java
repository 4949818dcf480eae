package io.farl.robot.mqtt;

import io.farl.robot.api.Observation;

/**
 * What the robot-side bridge drives: the arm (or simulator) next to it. Called only from the bridge's control
 * thread. {@link RobotArm} adapts any {@link io.farl.robot.api.Robot}.
 */
public interface LocalArm {
    /** Length of the command action vector. */
    int actionSize();

    /** The arm's newest observation at {@code nowNanos}, or null when it has none. */
    Observation observe(long nowNanos);

    /** Execute one command action (normalised units), already checked finite, sized and unexpired. */
    void execute(double[] action, long nowNanos);

    /** Stop the arm: zero velocity, gripper unchanged. Must not fail for lack of a command. */
    void stop(long nowNanos);

    /** Start a new episode with a seeded layout; arms without episodes ignore it. */
    default void reset(long seed, long nowNanos) {
    }
}
