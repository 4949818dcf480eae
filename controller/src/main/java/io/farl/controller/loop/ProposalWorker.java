package io.farl.controller.loop;

import io.farl.robot.api.Observation;

/**
 * The policy thread's step: take the newest observation the loop published, ask the {@link ProposalSource}, publish
 * the proposal for the epoch it was started in (a proposal computed across a deactivation is dropped). Each
 * observation is proposed for once. A proposal that does not carry its observation's stamp and sequence is dropped
 * and counted: the loop's age check relies on it.
 */
public final class ProposalWorker {
    private final LatestValue<Observation> observations;
    private final LatestValue<Proposal> proposals;
    private final ProposalSource source;
    private long lastSequence = Long.MIN_VALUE;
    private long lastEpoch = Long.MIN_VALUE;
    private long proposed;
    private long mislabelled;
    private long failures;

    public ProposalWorker(LatestValue<Observation> observations, LatestValue<Proposal> proposals,
            ProposalSource source) {
        this.observations = observations;
        this.proposals = proposals;
        this.source = source;
    }

    /**
     * One step of the policy thread.
     *
     * @return true when a proposal was published
     */
    public boolean step() {
        long epoch = proposals.epoch();
        Observation obs = observations.latest();
        if (obs == null || (obs.sequence() == lastSequence && epoch == lastEpoch)) {
            return false;
        }
        lastSequence = obs.sequence();
        lastEpoch = epoch;
        Proposal p;
        try {
            p = source.propose(obs);
        } catch (RuntimeException e) {
            failures++;
            return false;
        }
        if (p == null) {
            failures++;
            return false;
        }
        if (p.stampNanos() != obs.stampNanos() || p.observationSequence() != obs.sequence()) {
            mislabelled++;
            return false;
        }
        proposed++;
        return proposals.publish(p, epoch);
    }

    public long proposed() {
        return proposed;
    }

    public long mislabelled() {
        return mislabelled;
    }

    public long failures() {
        return failures;
    }
}
