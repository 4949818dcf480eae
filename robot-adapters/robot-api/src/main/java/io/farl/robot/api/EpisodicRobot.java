package io.farl.robot.api;

/**
 * A robot that runs episodes of a task and judges them: a simulator, or a real cell with a reset procedure and
 * a failure detector. Only valid while ACTIVE.
 */
public interface EpisodicRobot extends Robot {

    /** Start a new episode with a seeded layout; the next {@link #read} returns its first observation. */
    void reset(long seed);

    /** Outcome of the latest written command; before the first write of an episode, step -1 and all false. */
    TaskSignals signals();
}
