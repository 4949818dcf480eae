package io.farl.launch.online;

import ai.djl.ndarray.NDManager;
import io.farl.controller.session.Checkpointable;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.PpoConfig;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.StepRecord;
import io.farl.model.djl.GaussianPolicyModel;
import io.farl.model.djl.PpoLearner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The online PPO learner of a fine-tuning session: world-model-djl's {@link PpoLearner} started from the
 * pretrained task policy (actor, critic and normalisation), owning its native memory, with its whole state in
 * the session's checkpoints.
 */
final class PpoSessionLearner implements Learner, Checkpointable {
    private final NDManager manager;
    private final PpoLearner ppo;

    PpoSessionLearner(PolicyNetworkConfig config, ParameterSet initialWeights, PpoConfig ppoConfig) {
        manager = NDManager.newBaseManager();
        try (GaussianPolicyModel initial = GaussianPolicyModel.fromParameters(manager, config, initialWeights)) {
            ppo = new PpoLearner(manager, initial, ppoConfig, 0);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public boolean offer(StepRecord step) {
        return ppo.offer(step);
    }

    @Override
    public LearnerUpdate update() {
        return ppo.update();
    }

    @Override
    public Optional<PolicySnapshot> latestSnapshot() {
        return ppo.latestSnapshot();
    }

    @Override
    public void saveState(Path dir) throws IOException {
        ppo.saveState(dir);
    }

    @Override
    public void restoreState(Path dir) throws IOException {
        ppo.restoreState(dir);
    }

    @Override
    public void close() {
        try {
            ppo.close();
        } finally {
            manager.close();
        }
    }
}
