package io.farl.pipeline.report;

import io.farl.controller.dataset.Episode;

/**
 * What one recorded episode of a session did, as the report shows it: one row of its per-episode table and one
 * point of its per-episode plots.
 *
 * @param index               episode index in the dataset, from 0
 * @param seed                seed of the reset
 * @param startedUnixMillis   wall-clock start (from the header)
 * @param steps               executed steps
 * @param label               outcome label of the footer
 * @param failureStep         first step with C = 1, null when none
 * @param irFailureSteps      steps with C = 1
 * @param episodeReturn       sum of the step rewards
 * @param policyVersion       highest task-policy version on the episode's steps
 * @param recoveryActivations entries into RECOVERY mode (a run of RECOVERY steps counts once)
 * @param recoverySteps       steps in RECOVERY mode
 * @param holdSteps           steps in HOLD mode
 * @param humanSteps          steps in HUMAN mode
 * @param stoppedSteps        steps in STOPPED mode
 * @param overrideSteps       steps whose mode was not TASK (the sum of the four above)
 * @param interventions       envelope interventions (one per limit that acted, several per step possible)
 * @param note                operator note of the footer, else of the header; may be empty
 */
public record EpisodeRow(long index, long seed, long startedUnixMillis, int steps, Episode.Label label,
        Integer failureStep, int irFailureSteps, double episodeReturn, long policyVersion, int recoveryActivations,
        int recoverySteps, int holdSteps, int humanSteps, int stoppedSteps, int overrideSteps, int interventions,
        String note) {

    public EpisodeRow {
        note = note == null ? "" : note;
    }

    /** Labelled SUCCESS. */
    public boolean success() {
        return label == Episode.Label.SUCCESS;
    }

    /** At least one step with C = 1 (the IR-failure predicate) was recorded. */
    public boolean irFailure() {
        return irFailureSteps > 0;
    }
}
