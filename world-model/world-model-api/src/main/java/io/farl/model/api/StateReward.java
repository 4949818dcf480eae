package io.farl.model.api;

/**
 * A learned reward over observations, r(s), used in place of a task's own reward during online learning (TW-CRL:
 * positive where success is likely, negative near trap states). Implementations hold per-instance scratch buffers:
 * one instance per thread.
 */
public interface StateReward {

    /** The reward of being in the state {@code observation} describes. */
    double reward(float[] observation);

    /** Observation width the model reads. */
    int observationSize();
}
