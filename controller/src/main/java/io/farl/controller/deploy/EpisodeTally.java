package io.farl.controller.deploy;

import io.farl.robot.api.TaskSignals;

/**
 * Episode outcomes of a deployment run, counted on the control thread and read by any thread. An episode ends
 * with success, an IR failure (counted as failure even when the goal was met on the same step) or the time limit.
 */
public final class EpisodeTally {
    private final int target;
    private volatile int episodes;
    private volatile int successes;
    private volatile int irFailures;

    /** @param target episodes after which the run is done, > 0 */
    public EpisodeTally(int target) {
        if (target <= 0) {
            throw new IllegalArgumentException("target episodes must be > 0, got " + target);
        }
        this.target = target;
    }

    /** Counts one ended episode; one writer thread (the control thread, or a transport's event thread). */
    void onEpisodeEnd(TaskSignals end) {
        onEpisodeEnd(end.success(), end.irFailure());
    }

    /** Counts one ended episode reported by a robot-side bridge; one writer thread. */
    public void onEpisodeEnd(boolean success, boolean irFailure) {
        if (irFailure) {
            irFailures++;
        } else if (success) {
            successes++;
        }
        episodes++;
    }

    public boolean done() {
        return episodes >= target;
    }

    public int target() {
        return target;
    }

    public int episodes() {
        return episodes;
    }

    public int successes() {
        return successes;
    }

    public int irFailures() {
        return irFailures;
    }
}
