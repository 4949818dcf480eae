package io.farl.controller.remote;

import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.ProposalSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link InferenceServer.BatchDecider} that keeps one {@link ProposalSource} per robot (each with its own sampling
 * state, so robots do not share exploration noise) and evaluates a batch one request after the other. It batches the
 * transport and the queueing, not the arithmetic.
 */
public final class PerRobotDecider implements InferenceServer.BatchDecider {
    private final Function<String, ProposalSource> factory;
    private final int observationSize;
    private final Map<String, ProposalSource> sources = new HashMap<>();

    /**
     * @param factory makes the proposal source of a robot the first time it asks (on the batch thread)
     */
    public PerRobotDecider(int observationSize, Function<String, ProposalSource> factory) {
        this.observationSize = observationSize;
        this.factory = factory;
    }

    @Override
    public void decide(List<InferenceCodec.Request> batch, Proposal[] out) {
        for (int i = 0; i < batch.size(); i++) {
            InferenceCodec.Request r = batch.get(i);
            out[i] = sources.computeIfAbsent(r.robot(), factory).propose(r.observation());
        }
    }

    @Override
    public int observationSize() {
        return observationSize;
    }

    /** Robots served so far. */
    public int robots() {
        return sources.size();
    }
}
