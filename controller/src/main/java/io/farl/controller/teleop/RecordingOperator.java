package io.farl.controller.teleop;

/** The person (or script) who labels each ended episode of a recording. */
@FunctionalInterface
public interface RecordingOperator {

    /**
     * Decide about an ended episode. Called on the recording session's thread, which waits for the answer while the
     * robot stays where the episode ended.
     *
     * @throws InterruptedException when the recording is being stopped
     */
    EpisodeDecision decide(EpisodeReview review) throws InterruptedException;

    /** Keeps every episode with the suggested label (the simulator's scripted operator). */
    static RecordingOperator acceptingSuggestions(String note) {
        return review -> EpisodeDecision.keep(review.suggested(), note);
    }
}
