package io.farl.controller.dataset;

import io.farl.robot.api.TaskSignals;
import java.io.IOException;
import java.util.OptionalInt;

/**
 * Records one episode into a {@link DatasetWriter} from what a loop has at hand: per-step arrays and the
 * task's {@link TaskSignals}. Numbers the steps, keeps the running totals and writes the footer with the label
 * judged from the episode's kind ({@link Episode.Label#judge}). Arrays are serialised immediately, so callers may
 * reuse them after each call.
 *
 * <p>Lifecycle: {@link #begin} → {@link #step}* → {@link #finish}. One episode per instance, one thread.
 */
public final class EpisodeRecorder {

    private final DatasetWriter writer;
    private final Episode.Header header;
    private int steps;
    private int failureSteps;
    private int firstFailure = -1;
    private double episodeReturn;
    private boolean reachedGoal;
    private boolean finished;

    private EpisodeRecorder(DatasetWriter writer, Episode.Header header) {
        this.writer = writer;
        this.header = header;
    }

    /** Starts an episode; the header's index is replaced by the writer's next index. */
    public static EpisodeRecorder begin(DatasetWriter writer, Episode.Header header) throws IOException {
        Episode.Header indexed = header.withIndex(writer.nextEpisodeIndex());
        writer.beginEpisode(indexed);
        return new EpisodeRecorder(writer, indexed);
    }

    public Episode.Header header() {
        return header;
    }

    /** Steps recorded so far. */
    public int steps() {
        return steps;
    }

    /**
     * Records one transition of a scripted or teleoperated step (no world model, no log-probability).
     *
     * @param stampNanos      time of {@code observation}
     * @param observation     observation the action was chosen on
     * @param proposedAction  what the actor proposed (may equal {@code executedAction}; empty when none)
     * @param executedAction  what was sent
     * @param mode            who was in charge
     * @param signals         the task's verdict on the step
     * @param nextObservation observation after the step
     */
    public Episode.Step step(long stampNanos, double[] observation, double[] proposedAction, double[] executedAction,
            Episode.Mode mode, TaskSignals signals, double[] nextObservation) throws IOException {
        return step(Episode.Step.plain(steps, stampNanos, observation, proposedAction, executedAction,
                signals.reward(), signals.irFailure(), signals.success(), mode, nextObservation, signals.terminated(),
                signals.truncated()));
    }

    /** Records a fully specified step; its index must be {@link #steps()}. */
    public Episode.Step step(Episode.Step step) throws IOException {
        if (finished) {
            throw new IllegalStateException("episode " + header.index() + " is finished");
        }
        writer.appendStep(step);
        if (step.irFailure()) {
            failureSteps++;
            if (firstFailure < 0) {
                firstFailure = step.index();
            }
        }
        reachedGoal |= step.success();
        episodeReturn += step.reward();
        steps++;
        return step;
    }

    /** Ends the episode with the judged label; returns the footer once it is on disk. */
    public Episode.Footer finish(String operatorNote) throws IOException {
        return finish(Episode.Label.judge(header.kind(), reachedGoal, failureSteps > 0), operatorNote);
    }

    /** Ends the episode with an explicit label (an operator's verdict); returns the footer once it is on disk. */
    public Episode.Footer finish(Episode.Label label, String operatorNote) throws IOException {
        if (finished) {
            throw new IllegalStateException("episode " + header.index() + " is finished");
        }
        Episode.Footer footer = new Episode.Footer(header.index(), label, steps,
                firstFailure < 0 ? OptionalInt.empty() : OptionalInt.of(firstFailure),
                episodeReturn, reachedGoal, operatorNote, failureSteps);
        writer.endEpisode(footer);
        finished = true;
        return footer;
    }
}
