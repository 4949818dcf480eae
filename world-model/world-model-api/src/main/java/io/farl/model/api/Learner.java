package io.farl.model.api;

import java.util.Optional;

/**
 * Online learner of the task policy. {@link #offer} is non-blocking and may be called from the control
 * thread's hand-off; {@link #update} runs on the learner's own thread; snapshots are read by the actor.
 */
public interface Learner extends AutoCloseable {

    /**
     * Queues one executed step. Never blocks: when the intake queue is full the oldest step is dropped and
     * counted.
     *
     * @return false if the step was rejected as malformed (wrong sizes, non-finite values)
     */
    boolean offer(StepRecord step);

    /** Consumes queued steps and, when a full batch is available, runs one policy update. */
    LearnerUpdate update();

    /** The newest published snapshot, if any update has run (or the initial one). */
    Optional<PolicySnapshot> latestSnapshot();

    @Override
    void close();
}
