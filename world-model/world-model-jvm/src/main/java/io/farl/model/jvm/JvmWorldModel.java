package io.farl.model.jvm;

import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.FailureCostModel;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.api.WorldModelConfig;
import java.nio.file.Path;

/**
 * Plain-JVM C_H rollout over the weights of a world model trained with DJL ({@code DjlWorldModel}; same names,
 * same arithmetic up to float rounding): encoder, dynamics, constraint head, policy prior and decoder. {@link #cost} and {@link #cost2}
 * allocate nothing. One instance per thread.
 *
 * <p>Two choices keep it fast at batch 1, where the time goes into streaming weights from cache:
 * <ul>
 *   <li>The first layers that read the same latent z are one fused input-major matrix {@code [z, prior | con |
 *       dyn]}: the prior of z_i, and the z-part of the constraint head and the dynamics of (z_i, a_i), in one
 *       pass over z. The action part {@code [a, con | dyn]} is added once a_i is known.</li>
 *   <li>{@link #cost2} rolls out two first actions together (task and recovery proposal): one shared encoder
 *       pass, and every weight row loaded once feeds both rollouts.</li>
 * </ul>
 *
 * <p>The task action's rollout follows the calibrated action source (the prior, or the task policy on decoded
 * observations). With {@link #followRecoveryPolicy} the recovery action's rollout follows the recovery policy on
 * decoded observations instead: the gate asks whether handing over to π_rec is safe, and after its first action
 * π_rec, not the task behaviour, drives.
 */
public final class JvmWorldModel implements FailureCostModel {
    private static final int B = JvmMlp.MAX_BATCH;

    private final WorldModelConfig config;
    private final CostRolloutConfig rollout;
    private final JvmGaussianPolicy taskPolicy;
    private JvmGaussianPolicy recoveryPolicy;
    private final Kernels k;
    private final float[] mean;
    private final float[] std;
    private final JvmMlp encoder;
    private final JvmMlp dynamics;
    private final JvmMlp constraint;
    private final JvmMlp prior;
    private final JvmMlp decoder;
    private final int zN;
    private final int aN;
    private final int h;
    /** {@code [zN, 3h]} input-major: columns prior | con | dyn of the first layers, z rows. */
    private final float[] fusedZ;
    /** {@link #fusedZ} in a packed {@link WeightStorage}, or null for float32. */
    private final PackedWeights fusedZPacked;
    private final float[] fusedBias;
    /** {@code [aN, 2h]} input-major: columns con | dyn of the first layers, action rows. */
    private final float[] fusedA;
    private final int[] idx;
    private final float[] decoded;
    private final float[] rowAction;
    // per-row buffers, room for B rows and grown by costs(...) when a batch needs more
    private int rowCapacity;
    private float[] x;
    private float[] z;
    private float[] act;
    private float[] pre;
    private double[] sums;
    /** Who chooses a_i for i >= 1 in each row: a policy on the decoded observation, or null for the prior. */
    private JvmGaussianPolicy[] followers;

    /**
     * @param taskPolicy required for {@link RolloutActionSource#DECODED_TASK_POLICY}, else may be null
     */
    public JvmWorldModel(WorldModelConfig config, ParameterSet p, CostRolloutConfig rollout,
            JvmGaussianPolicy taskPolicy) {
        this(config, p, rollout, taskPolicy, Kernels.INSTANCE);
    }

    public JvmWorldModel(WorldModelConfig config, ParameterSet p, CostRolloutConfig rollout, JvmGaussianPolicy taskPolicy,
            Kernels kernels) {
        this(config, p, rollout, taskPolicy, kernels, WeightStorage.FLOAT32);
    }

    /**
     * @param storage how the networks' weight matrices are stored (opt-in {@link WeightStorage#FLOAT16} or
     *                {@link WeightStorage#INT8}: fewer bytes per rollout, C_H no longer within 1e-5 of DJL); the
     *                small action part of the first layers stays float32
     */
    public JvmWorldModel(WorldModelConfig config, ParameterSet p, CostRolloutConfig rollout, JvmGaussianPolicy taskPolicy,
            Kernels kernels, WeightStorage storage) {
        this.config = config;
        this.rollout = rollout;
        this.taskPolicy = taskPolicy;
        this.k = kernels;
        WorldModelLayout layout = new WorldModelLayout(config);
        int n = config.observationSize();
        mean = p.get("norm.mean", n).data().clone();
        std = p.get("norm.std", n).data().clone();
        encoder = new JvmMlp(layout.encoder(), p, kernels, storage);
        dynamics = new JvmMlp(layout.dynamics(), p, kernels, storage);
        constraint = new JvmMlp(layout.constraint(), p, kernels, storage);
        prior = new JvmMlp(layout.prior(), p, kernels, storage);
        decoder = layout.decoder() == null ? null : new JvmMlp(layout.decoder(), p, kernels, storage);
        if (rollout.actionSource() == RolloutActionSource.DECODED_TASK_POLICY && (decoder == null || taskPolicy == null)) {
            throw new IllegalArgumentException("DECODED_TASK_POLICY rollouts need a decoder and the task policy");
        }
        zN = config.latentSize();
        aN = config.actionSize();
        h = config.hiddenSize();
        fusedZ = new float[zN * 3 * h];
        fusedA = new float[aN * 2 * h];
        fusedBias = new float[3 * h];
        JvmMlp[] parts = {prior, constraint, dynamics};
        for (int c = 0; c < 3; c++) {
            float[] w0 = parts[c].firstWeights();
            for (int i = 0; i < zN; i++) {
                System.arraycopy(w0, i * h, fusedZ, i * 3 * h + c * h, h);
            }
            if (c > 0) {
                for (int i = 0; i < aN; i++) {
                    System.arraycopy(w0, (zN + i) * h, fusedA, i * 2 * h + (c - 1) * h, h);
                }
            }
            System.arraycopy(parts[c].firstBias(), 0, fusedBias, c * h, h);
        }
        fusedZPacked = storage == WeightStorage.FLOAT32 ? null : PackedWeights.pack(fusedZ, zN, 3 * h, storage);
        idx = new int[Math.max(zN, aN)];
        decoded = new float[n];
        rowAction = new float[aN];
        x = new float[n];
        ensureRows(1, B);
    }

    /** Room for {@code observations} observations and {@code rows} rollout rows; allocates only to grow. */
    private void ensureRows(int observations, int rows) {
        if (x.length < observations * mean.length) {
            x = new float[observations * mean.length];
        }
        if (rows <= rowCapacity) {
            return;
        }
        z = new float[rows * zN];
        act = new float[rows * aN];
        pre = new float[rows * 3 * h];
        sums = new double[rows];
        followers = new JvmGaussianPolicy[rows];
        rowCapacity = rows;
    }

    /**
     * Roll the recovery action's C_H ({@link #recoveryCost}, the second row of {@link #cost2}) out with
     * {@code recovery} acting on decoded observations.
     *
     * @throws IllegalArgumentException when the world model has no decoder
     */
    public JvmWorldModel followRecoveryPolicy(JvmGaussianPolicy recovery) {
        if (decoder == null) {
            throw new IllegalArgumentException("rolling out with the recovery policy needs the world model's decoder");
        }
        this.recoveryPolicy = recovery;
        return this;
    }

    /** True when the world model has a decoder (decoded rollouts are possible). */
    public boolean hasDecoder() {
        return decoder != null;
    }

    /** True when the recovery action's C_H follows the recovery policy. */
    public boolean followsRecoveryPolicy() {
        return recoveryPolicy != null;
    }

    /** Reads a world-model version directory (hash- and shape-checked, no native library). */
    public static JvmWorldModel load(Path versionDir, CostRolloutConfig rollout, JvmGaussianPolicy taskPolicy) {
        ModelFiles.WorldModelFiles f = ModelFiles.readWorldModel(versionDir);
        try {
            return new JvmWorldModel(f.config(), f.weights(), rollout, taskPolicy);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(versionDir.resolve(ModelDirectory.WEIGHTS) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public double cost(float[] observation, float[] proposedAction) {
        System.arraycopy(proposedAction, 0, act, 0, aN);
        followers[0] = taskFollower();
        rollOut(observation, 1, 1);
        return sums[0];
    }

    /** C_H of the recovery action: rolled out with the recovery policy when it is followed, else as {@link #cost}. */
    @Override
    public double recoveryCost(float[] observation, float[] recoveryAction) {
        System.arraycopy(recoveryAction, 0, act, 0, aN);
        followers[0] = recoveryFollower();
        rollOut(observation, 1, 1);
        return sums[0];
    }

    private JvmGaussianPolicy taskFollower() {
        return rollout.actionSource() == RolloutActionSource.DECODED_TASK_POLICY ? taskPolicy : null;
    }

    private JvmGaussianPolicy recoveryFollower() {
        return recoveryPolicy != null ? recoveryPolicy : taskFollower();
    }

    /**
     * C_H of the task proposal and the recovery action in the same observation, rolled out together;
     * {@code out[0]} as {@link #cost} of {@code taskAction}, {@code out[1]} as {@link #recoveryCost} of
     * {@code recoveryAction}.
     */
    public void cost2(float[] observation, float[] taskAction, float[] recoveryAction, double[] out) {
        System.arraycopy(taskAction, 0, act, 0, aN);
        System.arraycopy(recoveryAction, 0, act, aN, aN);
        followers[0] = taskFollower();
        followers[1] = recoveryFollower();
        rollOut(observation, 1, 2);
        out[0] = sums[0];
        out[1] = sums[1];
    }

    /**
     * C_H of {@code n} observations' task actions and, when {@code recoveryActions} is not null, of their recovery
     * actions, in one batched rollout of n or 2n rows: {@code taskCosts[o]} as {@link #cost} of observation o
     * ({@code observations[o * observationSize ..]}) and task action o ({@code taskActions[o * actionSize ..]}),
     * {@code recoveryCosts[o]} as {@link #recoveryCost}, up to float rounding. Every weight row is loaded once per
     * tile of rows ({@link Kernels#accumulate}). Allocates only when {@code n} exceeds every earlier batch.
     */
    public void costs(float[] observations, float[] taskActions, float[] recoveryActions, int n, double[] taskCosts,
            double[] recoveryCosts) {
        int perObs = recoveryActions == null ? 1 : 2;
        ensureRows(n, n * perObs);
        JvmGaussianPolicy taskFollower = taskFollower();
        JvmGaussianPolicy recoveryFollower = recoveryFollower();
        for (int o = 0; o < n; o++) {
            int r = o * perObs;
            System.arraycopy(taskActions, o * aN, act, r * aN, aN);
            followers[r] = taskFollower;
            if (perObs == 2) {
                System.arraycopy(recoveryActions, o * aN, act, (r + 1) * aN, aN);
                followers[r + 1] = recoveryFollower;
            }
        }
        rollOut(observations, n, perObs);
        for (int o = 0; o < n; o++) {
            taskCosts[o] = sums[o * perObs];
            if (perObs == 2) {
                recoveryCosts[o] = sums[o * perObs + 1];
            }
        }
    }

    /**
     * Rolls out {@code perObs} rows from each of {@code nObs} observations (row {@code o * perObs + q} from
     * observation o), with the first actions already in {@link #act} and each row's later actions chosen by
     * {@link #followers}.
     */
    private void rollOut(float[] observations, int nObs, int perObs) {
        int n = mean.length;
        for (int o = 0; o < nObs * n; o += n) {
            for (int i = 0; i < n; i++) {
                x[o + i] = (observations[o + i] - mean[i]) / std[i];
            }
        }
        float[] z0 = encoder.forward(x, 0, n, nObs);
        int batch = nObs * perObs;
        for (int r = 0; r < batch; r++) {
            System.arraycopy(z0, (r / perObs) * zN, z, r * zN, zN);
            sums[r] = 0;
        }
        boolean fromPrior = false;
        boolean decoded = false;
        for (int r = 0; r < batch; r++) {
            fromPrior |= followers[r] == null;
            decoded |= followers[r] != null;
        }
        int horizon = rollout.horizonSteps();
        int w3 = 3 * h;
        double gamma = 1;
        for (int step = 0; step <= horizon; step++) {
            boolean needPrior = step > 0 && fromPrior;
            boolean needDyn = step < horizon;
            int c0 = needPrior ? 0 : h;
            int c1 = needDyn ? w3 : 2 * h;
            // z-part of the first layers; at step 0 the rows of one observation have the same z: once per observation
            int group = step == 0 ? perObs : 1;
            for (int r = 0; r < batch; r += group) {
                System.arraycopy(fusedBias, c0, pre, r * w3 + c0, c1 - c0);
            }
            if (fusedZPacked != null) {
                fusedZPacked.accumulate(k, c0, zN, c1 - c0, z, 0, group * zN, batch / group, pre, c0, group * w3, idx);
            } else {
                k.accumulate(fusedZ, c0, w3, zN, c1 - c0, z, 0, group * zN, batch / group, pre, c0, group * w3, idx);
            }
            for (int r = 0; r < batch; r++) {
                if (r % group != 0) {
                    System.arraycopy(pre, (r - r % group) * w3 + c0, pre, r * w3 + c0, c1 - c0);
                }
            }
            if (step > 0) {
                nextActions(batch, fromPrior, decoded);
            }
            k.accumulate(fusedA, 0, 2 * h, aN, c1 - h, act, 0, aN, batch, pre, h, w3, idx);
            float[] logits = constraint.continueFromFirst(pre, h, w3, batch);
            for (int r = 0; r < batch; r++) {
                sums[r] += gamma * (1.0 / (1.0 + Math.exp(-logits[r])));
            }
            if (needDyn) {
                float[] next = dynamics.continueFromFirst(pre, 2 * h, w3, batch);
                System.arraycopy(next, 0, z, 0, batch * zN);
            }
            gamma *= rollout.gammaRisk();
        }
    }

    /**
     * a_i for every row: tanh of the prior's mean (its first layer is already in {@link #pre}) for rows without a
     * follower, the follower's mean action on the decoded observation otherwise.
     */
    private void nextActions(int batch, boolean fromPrior, boolean decodedRows) {
        if (fromPrior) {
            float[] out = prior.continueFromFirst(pre, 0, 3 * h, batch);
            int w = prior.outputSize();
            for (int r = 0; r < batch; r++) {
                if (followers[r] == null) {
                    for (int j = 0; j < aN; j++) {
                        act[r * aN + j] = (float) Math.tanh(out[r * w + j]);
                    }
                }
            }
        }
        if (!decodedRows) {
            return;
        }
        float[] d = decoder.forward(z, 0, zN, batch);
        int n = decoded.length;
        for (int r = 0; r < batch; r++) {
            if (followers[r] == null) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                decoded[i] = d[r * n + i] * std[i] + mean[i];
            }
            followers[r].meanAction(decoded, rowAction);
            System.arraycopy(rowAction, 0, act, r * aN, aN);
        }
    }

    @Override
    public int horizonSteps() {
        return rollout.horizonSteps();
    }

    /** Which kernels run the forward pass (for benchmark reports and logs). */
    public static String kernelName() {
        return Kernels.INSTANCE.name();
    }
}
