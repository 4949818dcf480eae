package io.farl.controller.loop;

import io.farl.robot.api.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy thread's step: take the newest observation the loop published, ask the {@link ProposalSource}, publish
 * the proposal for the epoch it was started in (a proposal computed across a deactivation is dropped). Each
 * observation is proposed for once. A proposal that does not carry its observation's stamp and sequence is dropped
 * and counted: the loop's age check relies on it. An exception from the source is counted, kept
 * ({@link #lastException()}) and logged (throttled, on this thread, never the control thread); the loop sees no new
 * proposal, holds at its deadline and escalates if it lasts.
 */
public final class ProposalWorker {
    private static final Logger LOG = LoggerFactory.getLogger(ProposalWorker.class);

    private final LatestValue<Observation> observations;
    private final LatestValue<Proposal> proposals;
    private final ProposalSource source;
    private long lastSequence = Long.MIN_VALUE;
    private long lastEpoch = Long.MIN_VALUE;
    private long proposed;
    private long mislabelled;
    private volatile long failures;
    private volatile long exceptions;
    private volatile RuntimeException lastException;

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
            exceptions++;
            lastException = e;
            if (Long.bitCount(exceptions) == 1) {
                LOG.warn("proposal source threw ({} so far); the loop holds without a fresh proposal", exceptions, e);
            }
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

    /** Proposals that failed: an exception or a null result. */
    public long failures() {
        return failures;
    }

    /** Exceptions thrown by the source. */
    public long exceptions() {
        return exceptions;
    }

    /** The latest exception thrown by the source, or null. */
    public RuntimeException lastException() {
        return lastException;
    }
}
