package io.farl.controller.runtime;

import io.farl.safety.Mode;

/**
 * Observes each control step on the control thread (a benchmark's timing probe). Must not block, log or allocate.
 */
@FunctionalInterface
public interface StepProbe {

    /**
     * @param nowNanos     the step's deadline time as given to the loop
     * @param written      mode whose command was written
     * @param startedNanos loop clock just before {@code runOnce}
     * @param endedNanos   loop clock just after it
     */
    void onStep(long nowNanos, Mode written, long startedNanos, long endedNanos);
}
