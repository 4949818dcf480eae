package io.farl.robot.mqtt;

/**
 * An episode event after validation.
 *
 * @param kind       what happened (or, controller → robot, what is asked: RESET)
 * @param episode    episode index, from 0
 * @param seed       layout seed of a RESET, -1 when absent
 * @param stampNanos sender's monotonic time
 */
public record EpisodeSignal(Kind kind, long episode, long seed, long stampNanos) {
    /** Episode boundaries. */
    public enum Kind {
        RESET, SUCCESS, FAILURE, TRUNCATED
    }
}
