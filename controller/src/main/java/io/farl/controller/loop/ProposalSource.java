package io.farl.controller.loop;

import io.farl.robot.api.Observation;

/**
 * The models as the control loop sees them: task policy, failure-cost model and recovery policy behind one coarse
 * call. Implemented by a thin adapter over the world-model API; called on the policy thread only, never on the
 * control thread.
 */
@FunctionalInterface
public interface ProposalSource {

    /**
     * Propose for {@code observation}. The proposal carries the observation's stamp and sequence.
     *
     * @return a proposal, or null when none can be made (the loop then falls back at its deadline)
     */
    Proposal propose(Observation observation);
}
