package io.farl.model.api;

/**
 * A policy whose choices depend on the episode so far (an action-chunking policy that ensembles the chunks it
 * predicted, or one that picks a mode from the episode's first observation): told when a new episode begins.
 */
public interface EpisodicPolicy extends Policy {
    /** The next {@link #act} call sees the first observation of a new episode. */
    void startEpisode();
}
