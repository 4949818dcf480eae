package io.farl.pipeline.online;

import io.farl.controller.session.TaskPolicyFactory;
import io.farl.pipeline.PipelineInputException;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.FailureCostModel;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.jvm.JvmGaussianPolicy;
import io.farl.model.jvm.JvmWorldModel;
import io.farl.model.jvm.ModelFiles;
import io.farl.model.jvm.ModelDirectory;
import io.farl.model.jvm.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The pretrained models a fine-tuning session starts from, read from an init directory in the layout that
 * {@code farl train} and {@code farl calibrate} write:
 *
 * <pre>
 * INIT/task-policy/vNNNNNN/        π_task (newest version: offline-improved when present)
 * INIT/recovery-policy/vNNNNNN/    π_rec
 * INIT/world-model/vNNNNNN/        world model with constraint head
 * INIT/calibration.properties      epsilonSafe, horizonSteps, gammaRisk, rollout (prior|decoded), worldModelHash
 * </pre>
 *
 * Weights are read and checked without a native library ({@link ModelFiles}) and held as plain arrays; acting and
 * C_H rollouts use the plain-JVM forward passes. The calibration must name the content hash of the world model it
 * was computed for.
 */
public record InitModels(Path root, PolicyNetworkConfig taskConfig, ParameterSet taskWeights,
        PolicyNetworkConfig recoveryConfig, ParameterSet recoveryWeights, Path worldModelDir, double epsilonSafe,
        CostRolloutConfig rollout) {


    /** Reads and checks an init directory; every problem is bad input naming the file. */
    public static InitModels load(Path init) {
        if (!Files.isDirectory(init)) {
            throw new PipelineInputException("--init " + init + " is not a directory");
        }
        ModelBundle bundle = new ModelBundle(init);
        Path taskDir = ModelBundle.latestVersion(bundle.taskPolicy(), "task policy");
        Path recDir = ModelBundle.latestVersion(bundle.recoveryPolicy(), "recovery policy");
        Path wmDir = ModelBundle.latestVersion(bundle.worldModel(), "world model");
        Properties cal = bundle.calibration().orElseThrow(() -> new PipelineInputException("no "
                + bundle.calibrationFile() + " (run farl calibrate first)"));
        try {
            ModelFiles.PolicyFiles task = ModelFiles.readPolicy(taskDir);
            ModelFiles.PolicyFiles rec = ModelFiles.readPolicy(recDir);
            ModelDirectory.Loaded wm = ModelFiles.readWorldModel(wmDir).files();
            String hash = cal.getProperty("worldModelHash");
            if (hash != null && !hash.equals(wm.contentHash())) {
                throw new PipelineInputException(bundle.calibrationFile() + " was computed for another world model ("
                        + hash + "), the newest under " + wmDir.getParent() + " is " + wm.contentHash()
                        + "; re-run farl calibrate");
            }
            double eps = bundle.calibrationValue(cal, "epsilonSafe");
            int h = (int) bundle.calibrationValue(cal, "horizonSteps");
            double gamma = bundle.calibrationValue(cal, "gammaRisk");
            RolloutActionSource source = "decoded".equals(cal.getProperty("rollout", "prior"))
                    ? RolloutActionSource.DECODED_TASK_POLICY : RolloutActionSource.POLICY_PRIOR;
            if (eps <= 0) {
                throw new PipelineInputException(bundle.calibrationFile() + ": epsilonSafe must be > 0, got " + eps);
            }
            CostRolloutConfig rollout;
            try {
                rollout = new CostRolloutConfig(h, gamma, source);
            } catch (IllegalArgumentException e) {
                throw new PipelineInputException(bundle.calibrationFile() + ": " + e.getMessage(), e);
            }
            return new InitModels(init, task.config(), task.weights(), rec.config(), rec.weights(), wmDir, eps, rollout);
        } catch (ModelFormatException e) {
            throw new PipelineInputException(e.getMessage(), e);
        }
    }

    /**
     * The behaviour-cloned recovery policy whose offline improvement is the newest recovery version under {@code init}
     * (the version before it), for a before/after comparison; empty when the newest version is not an improvement.
     */
    public static Optional<Policy> recoveryBeforeImprovement(Path init) {
        Path recDir = ModelBundle.latestVersion(new ModelBundle(init).recoveryPolicy(), "recovery policy");
        try {
            ModelDirectory.Loaded latest = ModelDirectory.read(recDir, ModelDirectory.POLICY_KIND);
            Optional<Path> bc = latest.metrics().containsKey("stageOfflineImproved")
                    ? ModelDirectory.previous(recDir) : Optional.empty();
            if (bc.isEmpty()) {
                return Optional.empty();
            }
            ModelFiles.PolicyFiles m = ModelFiles.readPolicy(bc.get());
            return Optional.of(new JvmGaussianPolicy(m.config(), m.weights(), 0, 0));
        } catch (ModelFormatException e) {
            throw new PipelineInputException(e.getMessage(), e);
        }
    }

    /** Acting task policies: the pretrained weights, or a learner snapshot; sampling seeded as given. */
    public TaskPolicyFactory taskPolicies() {
        return (snapshot, seed) -> snapshot == null ? new JvmGaussianPolicy(taskConfig, taskWeights, 0, seed)
                : JvmGaussianPolicy.fromSnapshot(snapshot, seed);
    }

    /** The pretrained task policy (deterministic use only). */
    public JvmGaussianPolicy taskPolicy(long seed) {
        return new JvmGaussianPolicy(taskConfig, taskWeights, 0, seed);
    }

    /** The frozen recovery policy. */
    public Policy recoveryPolicy() {
        return new JvmGaussianPolicy(recoveryConfig, recoveryWeights, 0, 0);
    }

    /**
     * C_H by latent rollout of the world model, as calibrated; the recovery action's C_H is rolled out with the
     * recovery policy on decoded observations when the world model has a decoder. One instance per thread.
     */
    public FailureCostModel worldModelCost() {
        JvmGaussianPolicy rolloutPolicy = rollout.actionSource() == RolloutActionSource.DECODED_TASK_POLICY
                ? taskPolicy(0) : null;
        try {
            JvmWorldModel wm = JvmWorldModel.load(worldModelDir, rollout, rolloutPolicy);
            return wm.hasDecoder() ? wm.followRecoveryPolicy(
                    new JvmGaussianPolicy(recoveryConfig, recoveryWeights, 0, 0)) : wm;
        } catch (ModelFormatException e) {
            throw new PipelineInputException(e.getMessage(), e);
        }
    }
}
