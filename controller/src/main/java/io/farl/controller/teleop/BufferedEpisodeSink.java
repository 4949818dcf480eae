package io.farl.controller.teleop;

import io.farl.controller.dataset.Episode;
import io.farl.controller.deploy.EpisodeSink;
import io.farl.controller.session.ModelProposalSource;
import io.farl.model.api.FailureCostModel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds each episode's steps in memory until it ends, then hands the whole episode to the recording session, which
 * asks the operator and writes it or not. Nothing reaches the disk before the operator's decision, so a discarded
 * episode leaves no trace and a crash loses only the episode not yet decided.
 *
 * <p>With a {@link FailureCostModel}, a step the operator commanded records C_H of the executed (human) action; other
 * steps keep what the recorder set (C_H of the task policy's proposal). Runs on the recorder's thread.
 */
public final class BufferedEpisodeSink implements EpisodeSink {
    private static final Logger LOG = LoggerFactory.getLogger(BufferedEpisodeSink.class);

    private final FailureCostModel cost;
    private final BlockingQueue<EndedEpisode> ended = new LinkedBlockingQueue<>();
    private final List<Episode.Step> steps = new ArrayList<>();
    private long handedOver;
    private long stepsHandedOver;
    private boolean costFailed;

    /** @param cost scores the operator's actions; null records no C_H for them */
    public BufferedEpisodeSink(FailureCostModel cost) {
        this.cost = cost;
    }

    /** Ended episodes in order; the session takes them. */
    public BlockingQueue<EndedEpisode> ended() {
        return ended;
    }

    @Override
    public void step(Episode.Step step) {
        steps.add(step.mode() == Episode.Mode.HUMAN && cost != null ? withHumanCost(step) : step);
    }

    @Override
    public void end(boolean success, boolean irFailure, boolean truncated) {
        if (steps.isEmpty()) {
            return;
        }
        EndedEpisode e = new EndedEpisode(steps, success, irFailure, truncated);
        steps.clear();
        handedOver++;
        stepsHandedOver += e.steps().size();
        ended.add(e);
    }

    /** Episodes handed to the session (the session counts those written). */
    @Override
    public long episodesWritten() {
        return handedOver;
    }

    @Override
    public long stepsWritten() {
        return stepsHandedOver;
    }

    @Override
    public void close() {
        // the session owns the dataset file
    }

    private Episode.Step withHumanCost(Episode.Step s) {
        OptionalDouble c = OptionalDouble.empty();
        if (!costFailed) {
            try {
                double v = cost.cost(ModelProposalSource.toFloat(s.observation()),
                        ModelProposalSource.toFloat(s.executedAction()));
                c = Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
            } catch (RuntimeException ex) {
                costFailed = true;
                LOG.warn("C_H of the operator's actions is not recorded from here on: {}", ex.toString());
            }
        }
        return new Episode.Step(s.index(), s.stampNanos(), s.observation(), s.proposedAction(), s.executedAction(),
                s.reward(), s.irFailure(), s.success(), s.mode(), c, s.interventions(), s.policyVersion(), s.logProb(),
                s.nextObservation(), s.terminated(), s.truncated());
    }
}
