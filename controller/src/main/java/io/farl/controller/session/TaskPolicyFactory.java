package io.farl.controller.session;

import io.farl.model.api.Policy;
import io.farl.model.api.PolicySnapshot;

/**
 * Builds the acting task policy: from the pretrained model or from a learner snapshot. The session builds a fresh
 * policy at every episode start with a seed derived from the session seed and the episode index, so each episode's
 * exploration noise depends only on (parameters, seed, episode) and a resumed session repeats an uninterrupted one.
 */
@FunctionalInterface
public interface TaskPolicyFactory {

    /**
     * @param snapshot parameters published by the learner, or null for the pretrained policy
     * @param seed     seed of the policy's sampling noise
     */
    Policy create(PolicySnapshot snapshot, long seed);
}
