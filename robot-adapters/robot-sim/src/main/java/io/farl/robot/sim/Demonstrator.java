package io.farl.robot.sim;

/**
 * A scripted policy producing demonstrations. Deterministic given its seed and the observations it sees; it
 * may keep state across calls within one episode, so create one per episode.
 */
public interface Demonstrator {

    /** The 4-d action in [-1, 1] (dx, dy, dz, gripper) for this 39-d observation. */
    double[] act(double[] observation);
}
