package io.farl.controller.runtime;

import io.farl.controller.loop.StepBuffer;

/**
 * Takes executed steps on the recorder thread (a dataset writer, a learner's queue). The buffer is the recorder
 * thread's own and is refilled after the call returns: copy what is kept.
 */
@FunctionalInterface
public interface StepConsumer {
    void accept(StepBuffer step);

    /** This consumer, then {@code next}, with the same buffer (e.g. the recorder, then the operator console). */
    default StepConsumer andThen(StepConsumer next) {
        if (next == null) {
            throw new IllegalArgumentException("next consumer must be given");
        }
        return step -> {
            accept(step);
            next.accept(step);
        };
    }
}
