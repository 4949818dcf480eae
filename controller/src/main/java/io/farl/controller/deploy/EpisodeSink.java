package io.farl.controller.deploy;

import io.farl.controller.dataset.Episode;
import java.io.IOException;

/**
 * Where a {@link RunRecorder} puts the steps it assembled, episode by episode. Called on the recorder's thread only;
 * {@link #close} once, after the last call.
 */
public interface EpisodeSink extends AutoCloseable {

    /** The next step of the running episode (the first one begins an episode); its index counts within it. */
    void step(Episode.Step step);

    /**
     * The running episode ended with the step before.
     *
     * @param success   the robot reported the goal reached
     * @param irFailure the robot reported an IR failure
     * @param truncated the run ended during the episode (not the robot's end)
     */
    void end(boolean success, boolean irFailure, boolean truncated);

    /** Episodes completely on disk. */
    long episodesWritten();

    /** Steps written, including those of an episode still open. */
    long stepsWritten();

    @Override
    void close() throws IOException;
}
