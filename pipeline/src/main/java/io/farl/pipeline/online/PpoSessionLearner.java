package io.farl.pipeline.online;

import ai.djl.ndarray.NDManager;
import io.farl.controller.session.Checkpointable;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.PpoConfig;
import io.farl.model.api.StepRecord;
import io.farl.model.djl.GaussianPolicyModel;
import io.farl.model.djl.PpoLearner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The online PPO learner of a fine-tuning session: world-model-djl's {@link PpoLearner} started from the
 * pretrained task policy (actor, critic and normalisation), owning its native memory, with its whole state in
 * the session's checkpoints. Its DJL work (construction, updates, state, closing) runs on the {@link DjlThread},
 * so several sessions can run in one process; {@link #offer} and {@link #latestSnapshot} are plain Java.
 */
final class PpoSessionLearner implements Learner, Checkpointable {
    private final NDManager manager;
    private final PpoLearner ppo;

    private record Parts(NDManager manager, PpoLearner ppo) {
    }

    PpoSessionLearner(PolicyNetworkConfig config, ParameterSet initialWeights, PpoConfig ppoConfig) {
        Parts p = DjlThread.call(() -> {
            NDManager m = NDManager.newBaseManager();
            try (GaussianPolicyModel initial = GaussianPolicyModel.fromParameters(m, config, initialWeights)) {
                return new Parts(m, new PpoLearner(m, initial, ppoConfig, 0));
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        });
        manager = p.manager();
        ppo = p.ppo();
    }

    @Override
    public boolean offer(StepRecord step) {
        return ppo.offer(step);
    }

    @Override
    public LearnerUpdate update() {
        return DjlThread.call(ppo::update);
    }

    @Override
    public Optional<PolicySnapshot> latestSnapshot() {
        return ppo.latestSnapshot();
    }

    @Override
    public void saveState(Path dir) throws IOException {
        io(() -> ppo.saveState(dir));
    }

    @Override
    public void restoreState(Path dir) throws IOException {
        io(() -> ppo.restoreState(dir));
    }

    @Override
    public void close() {
        DjlThread.run(() -> {
            try {
                ppo.close();
            } finally {
                manager.close();
            }
        });
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction action) throws IOException {
        try {
            DjlThread.run(() -> {
                try {
                    action.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
