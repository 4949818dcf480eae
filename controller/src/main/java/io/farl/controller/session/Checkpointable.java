package io.farl.controller.session;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Something whose state a fine-tuning checkpoint holds: the learner (policy and value parameters, optimiser
 * moments, observation statistics, RNG state and, for an exact resume, the steps queued for the next batch).
 * Called on the session thread between episodes, never concurrently with {@code Learner.update()}.
 */
public interface Checkpointable {

    /** Writes the state into the empty directory {@code dir}; the caller makes it durable and atomic. */
    void saveState(Path dir) throws IOException;

    /** Replaces the current state by the one saved in {@code dir}. */
    void restoreState(Path dir) throws IOException;
}
