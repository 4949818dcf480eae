package io.farl.model.djl.bench;

import ai.djl.ndarray.NDManager;
import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.api.WorldModelConfig;
import io.farl.model.djl.DjlWorldModel;
import io.farl.model.djl.GaussianPolicyModel;
import io.farl.model.jvm.JvmDecision;
import io.farl.model.jvm.JvmGaussianPolicy;
import io.farl.model.jvm.JvmWorldModel;
import io.farl.model.jvm.Kernels;
import io.farl.model.jvm.WeightStorage;
import java.util.Arrays;
import java.util.Random;

/**
 * The networks every decision benchmark times, obs 39 / act 4: small = hidden 256, latent 64, H 5; large = hidden
 * 512, latent 512, H 10; no decoder, policy-prior rollouts, γ_risk 0.9, observation normalisation mean 0 / std 1.
 * The DJL models are created with fixed seeds, so every benchmark, the weight export for the eager PyTorch
 * reference ({@link BenchExport}) and the JMH forks see the same weights. Close to release the DJL models.
 */
public final class BenchModels implements AutoCloseable {
    public static final int OBS = 39;
    public static final int ACT = 4;
    public static final double GAMMA_RISK = 0.9;

    public final String size;
    public final int hidden;
    public final int latent;
    public final int horizon;
    public final WorldModelConfig worldModelConfig;
    public final PolicyNetworkConfig policyConfig;
    public final CostRolloutConfig rollout;
    public final NDManager manager;
    public final DjlWorldModel worldModel;
    public final GaussianPolicyModel task;
    public final GaussianPolicyModel recovery;

    public BenchModels(String size) {
        if (!size.equals("small") && !size.equals("large")) {
            throw new IllegalArgumentException("size is small or large: " + size);
        }
        this.size = size;
        boolean small = "small".equals(size);
        hidden = small ? 256 : 512;
        latent = small ? 64 : 512;
        horizon = small ? 5 : 10;
        worldModelConfig = WorldModelConfig.builder(OBS, ACT).sizes(latent, hidden).decoderEnabled(false).build();
        policyConfig = PolicyNetworkConfig.defaults(OBS, ACT).withHidden(hidden, 2);
        rollout = new CostRolloutConfig(horizon, GAMMA_RISK, RolloutActionSource.POLICY_PRIOR);
        float[] mean = new float[OBS];
        float[] std = new float[OBS];
        Arrays.fill(std, 1f);
        manager = NDManager.newBaseManager();
        worldModel = DjlWorldModel.create(manager, worldModelConfig, mean, std);
        task = GaussianPolicyModel.create(manager, policyConfig, mean, std, 2);
        recovery = GaussianPolicyModel.create(manager, policyConfig, mean, std, 3);
    }

    public ParameterSet taskWeights() {
        return task.export();
    }

    public ParameterSet recoveryWeights() {
        return recovery.export();
    }

    public ParameterSet worldModelWeights() {
        return worldModel.export();
    }

    /** A plain-JVM decision over the exported weights (one source of truth), with or without C_H of π_rec. */
    public JvmDecision jvmDecision(boolean checkRecoveryCost) {
        return jvmDecision(checkRecoveryCost, WeightStorage.FLOAT32);
    }

    /** As {@link #jvmDecision(boolean)} with the world model's weights in {@code storage} (policies float32). */
    public JvmDecision jvmDecision(boolean checkRecoveryCost, WeightStorage storage) {
        return jvmDecision(checkRecoveryCost, storage, Kernels.INSTANCE);
    }

    /** As {@link #jvmDecision(boolean, WeightStorage)} on {@code kernels} (e.g. split over two threads). */
    public JvmDecision jvmDecision(boolean checkRecoveryCost, WeightStorage storage, Kernels kernels) {
        JvmGaussianPolicy jt = new JvmGaussianPolicy(policyConfig, taskWeights(), 1, 0, kernels);
        JvmGaussianPolicy jr = new JvmGaussianPolicy(policyConfig, recoveryWeights(), 1, 0, kernels);
        JvmWorldModel jwm = new JvmWorldModel(worldModelConfig, worldModelWeights(), rollout, null, kernels, storage);
        return new JvmDecision(jt, jr, jwm, checkRecoveryCost);
    }

    /** {@code n} observations of N(0, 1) values from {@code seed}. */
    public static float[][] observations(long seed, int n) {
        Random rnd = new Random(seed);
        float[][] obs = new float[n][OBS];
        for (float[] o : obs) {
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) rnd.nextGaussian();
            }
        }
        return obs;
    }

    @Override
    public void close() {
        worldModel.close();
        task.close();
        recovery.close();
        manager.close();
    }
}
