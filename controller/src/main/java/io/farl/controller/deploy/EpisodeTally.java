package io.farl.controller.deploy;

import io.farl.robot.api.TaskSignals;

/**
 * Episode outcomes of a deployment run, counted on the control thread and read by any thread. An episode ends
 * with success, an IR failure (counted as failure even when the goal was met on the same step) or the time limit.
 */
public final class EpisodeTally {
    /** Told of every ended episode, on the thread that counted it, after counting. */
    @FunctionalInterface
    public interface Listener {
        void ended(boolean success, boolean irFailure);
    }

    private final int target;
    private final Listener listener;
    private volatile int episodes;
    private volatile int successes;
    private volatile int irFailures;
    private volatile Runnable startListener = () -> { };

    /** @param target episodes after which the run is done, > 0 */
    public EpisodeTally(int target) {
        this(target, (success, irFailure) -> { });
    }

    /** @param target episodes after which the run is done, > 0; @param listener told of every ended episode */
    public EpisodeTally(int target, Listener listener) {
        if (target <= 0) {
            throw new IllegalArgumentException("target episodes must be > 0, got " + target);
        }
        if (listener == null) {
            throw new IllegalArgumentException("listener must be given");
        }
        this.target = target;
        this.listener = listener;
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
        listener.ended(success, irFailure);
    }

    /**
     * Told of every started episode (the cell's reset done), on the thread that reports it; for the control loop's
     * {@code OperatorInputs#episodeStarted}.
     */
    public void onEpisodeStarts(Runnable listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must be given");
        }
        this.startListener = listener;
    }

    /** A new episode started on the robot: its reset is done. */
    public void onEpisodeStart() {
        startListener.run();
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
