package io.farl.controller.session;

import io.farl.model.api.LearnerUpdate;
import java.nio.file.Path;

/** Progress of a {@link FinetuneSession}, called on the session thread. */
public interface SessionListener {
    SessionListener NONE = new SessionListener() {
    };

    default void episodeFinished(EpisodeStats episode, SessionTotals totals) {
    }

    default void updated(LearnerUpdate update, SessionTotals totals) {
    }

    default void checkpointed(Path checkpoint, SessionTotals totals) {
    }
}
