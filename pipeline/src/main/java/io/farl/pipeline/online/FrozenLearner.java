package io.farl.pipeline.online;

import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.StepRecord;
import java.util.Map;
import java.util.Optional;

/**
 * A learner that never updates: the pretrained task policy acts for the whole run. Steps are accepted and counted,
 * nothing else. For paired comparisons of the gate, where learning would make the two runs' policies differ.
 */
public final class FrozenLearner implements Learner {
    private long offered;

    @Override
    public boolean offer(StepRecord step) {
        offered++;
        return true;
    }

    @Override
    public LearnerUpdate update() {
        return new LearnerUpdate(false, 0, 0, 0, 0, Map.of());
    }

    @Override
    public Optional<PolicySnapshot> latestSnapshot() {
        return Optional.empty();
    }

    /** Steps offered so far. */
    public long offered() {
        return offered;
    }

    @Override
    public void close() {
    }
}
