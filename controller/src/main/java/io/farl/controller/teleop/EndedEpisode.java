package io.farl.controller.teleop;

import io.farl.controller.dataset.Episode;
import java.util.List;

/**
 * An episode as the recorder assembled it, before the operator's decision: nothing of it is on disk yet.
 *
 * @param steps     its steps, in order (indices from 0)
 * @param success   the robot reported the goal reached
 * @param irFailure the robot reported an IR failure
 * @param truncated the recording stopped during the episode (no end from the robot or the operator)
 */
public record EndedEpisode(List<Episode.Step> steps, boolean success, boolean irFailure, boolean truncated) {

    public EndedEpisode {
        steps = List.copyOf(steps);
    }

    /** First step the robot flagged as an IR failure, or -1. */
    public int firstFailureStep() {
        for (Episode.Step s : steps) {
            if (s.irFailure()) {
                return s.index();
            }
        }
        return -1;
    }

    /** Stamp of the first step, or 0 when there is none. */
    public long firstStampNanos() {
        return steps.isEmpty() ? 0 : steps.get(0).stampNanos();
    }

    /** Stamp of the last step, or 0 when there is none. */
    public long lastStampNanos() {
        return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).stampNanos();
    }
}
