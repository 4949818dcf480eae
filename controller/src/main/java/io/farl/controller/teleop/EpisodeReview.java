package io.farl.controller.teleop;

import io.farl.controller.dataset.Episode;

/**
 * What the operator is shown when an episode ends.
 *
 * @param number          1-based number of the episode among those kept so far plus this one
 * @param target          episodes to keep in all
 * @param seed            layout seed of the episode
 * @param steps           steps recorded
 * @param humanSteps      steps the operator commanded
 * @param success         the robot reported the goal reached
 * @param irFailure       the robot reported an IR failure
 * @param failureStep     the IR-failure step: the operator's mark when there is one, else the robot's, else -1
 * @param suggested       the label judged from the episode's kind and the robot's report
 */
public record EpisodeReview(int number, int target, long seed, int steps, int humanSteps, boolean success,
        boolean irFailure, int failureStep, Episode.Label suggested) {
}
