package io.farl.model.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.farl.model.api.DiscriminatorConfig;
import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.jvm.JvmDiscriminator;
import io.farl.model.jvm.MlpSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Trains GAIL's (or GAILFE's) discriminator one iteration at a time: each {@link #update} takes the policy's newest
 * state–action pairs, draws as many expert pairs (and, for GAILFE, pairs of the failed trajectories in the replay
 * buffer) beside each minibatch and takes Adam steps on
 * <pre>  −E_π[log D] − E_E[log(1 − D)] − λ_F E_F[log D]</pre>
 * then moves λ_F by projected dual descent on its constraint E_F[log D] > Z_F ({@link DiscriminatorConfig}).
 *
 * <p>Holds native memory: every call, construction and {@link #close} included, must come from the same DJL thread.
 */
public final class DiscriminatorTrainer implements AutoCloseable {
    private static final double MAX_GRAD_NORM = 10.0;

    /** State–action pairs row by row: {@code observations[i*n ..]}, {@code actions[i*m ..]}. */
    public record Pairs(float[] observations, float[] actions, int count) {
        public Pairs {
            if (count < 0) {
                throw new IllegalArgumentException("negative pair count");
            }
        }

        public static Pairs empty() {
            return new Pairs(new float[0], new float[0], 0);
        }
    }

    /**
     * One iteration's figures: mean D on each kind of pair over its steps, the failure term E_F[log D] and λ_F after.
     */
    public record Step(int steps, double loss, double policyD, double expertD, double failureD,
            double failureLogD, double lambda) {
    }

    private final DiscriminatorConfig config;
    private final MlpSpec spec;
    private final float[] mean;
    private final float[] std;
    private final NDManager manager;
    private final NdParameters params;
    private final Adam adam;
    private Random rnd;
    private double lambda;

    /**
     * @param mean observation mean of the expert data (D's input normalisation)
     * @param std  its standard deviation
     */
    public DiscriminatorTrainer(DiscriminatorConfig config, float[] mean, float[] std) {
        if (mean.length != config.observationSize() || std.length != config.observationSize()) {
            throw new IllegalArgumentException("normalisation has " + mean.length + " values, observations "
                    + config.observationSize());
        }
        this.config = config;
        this.spec = JvmDiscriminator.spec(config);
        this.mean = mean.clone();
        this.std = std.clone();
        this.rnd = new Random(config.seed());
        this.lambda = config.useFailures() ? config.lambdaInitial() : 0;
        this.manager = NDManager.newBaseManager();
        try {
            this.params = new NdParameters(manager);
            DjlMlp.register(spec, params, rnd);
            this.adam = new Adam(params.manager(), MAX_GRAD_NORM).add(params.all(), 1.0);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The observation mean and standard deviation of {@code observations} (rows of {@code n}). */
    public static float[][] normalisation(float[] observations, int n) {
        float[] m = Stats.mean(observations, n);
        return new float[][] {m, Stats.std(observations, n, m)};
    }

    public DiscriminatorConfig config() {
        return config;
    }

    /** λ_F now (0 for GAIL). */
    public double lambda() {
        return lambda;
    }

    /**
     * One iteration on the policy's newest pairs against the expert's; {@code failures} is ignored by GAIL and must
     * hold pairs for GAILFE (the replay buffer starts with the failure demonstrations).
     */
    public Step update(Pairs policy, Pairs expert, Pairs failures) {
        boolean fe = config.useFailures();
        if (policy.count() == 0 || expert.count() == 0) {
            throw new IllegalArgumentException("a discriminator step needs policy and expert pairs");
        }
        if (fe && failures.count() == 0) {
            throw new IllegalArgumentException("GAILFE needs failed pairs in its replay buffer");
        }
        int b = Math.min(config.batchSize(), policy.count());
        int[] perm = new int[policy.count()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        double[] sums = new double[5];
        int steps = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            shuffle(perm);
            for (int start = 0; start + b <= perm.length; start += b) {
                int[] idx = java.util.Arrays.copyOfRange(perm, start, start + b);
                double[] s = step(policy, idx, expert, fe ? failures : null, b);
                for (int k = 0; k < sums.length; k++) {
                    sums[k] += s[k];
                }
                steps++;
                if (fe) {
                    lambda = Math.max(0, lambda + config.lambdaLearningRate() * (config.failureBound() - s[4]));
                }
            }
        }
        return new Step(steps, sums[0] / steps, sums[1] / steps, sums[2] / steps, fe ? sums[3] / steps : Double.NaN,
                fe ? sums[4] / steps : Double.NaN, lambda);
    }

    /** One Adam step; returns loss, mean D on policy, expert and failure pairs, and E_F[log D]. */
    private double[] step(Pairs policy, int[] idx, Pairs expert, Pairs failures, int b) {
        try (NDManager sm = manager.newSubManager(); NDScope scope = new NDScope()) {
            double[] out = new double[5];
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray zp = logits(sm, policy, idx);
                NDArray ze = logits(sm, expert, draw(expert.count(), b));
                // −log D = softplus(−z); −log(1 − D) = softplus(z)
                NDArray loss = Stats.softplus(zp.neg()).mean().add(Stats.softplus(ze).mean());
                NDArray zf = null;
                if (failures != null) {
                    zf = logits(sm, failures, draw(failures.count(), b));
                    loss = loss.add(NdArrays.mul(Stats.softplus(zf.neg()).mean(), lambda));
                }
                gc.backward(loss);
                out[0] = loss.getFloat();
                out[1] = Activation.sigmoid(zp).mean().getFloat();
                out[2] = Activation.sigmoid(ze).mean().getFloat();
                if (zf != null) {
                    out[3] = Activation.sigmoid(zf).mean().getFloat();
                    out[4] = -Stats.softplus(zf.neg()).mean().getFloat();
                }
            }
            adam.step(config.learningRate());
            return out;
        }
    }

    private NDArray logits(NDManager sm, Pairs pairs, int[] idx) {
        int n = config.observationSize();
        int m = config.actionSize();
        int w = n + m;
        float[] x = new float[idx.length * w];
        for (int r = 0; r < idx.length; r++) {
            int i = idx[r];
            for (int k = 0; k < n; k++) {
                x[r * w + k] = (pairs.observations()[i * n + k] - mean[k]) / std[k];
            }
            System.arraycopy(pairs.actions(), i * m, x, r * w + n, m);
        }
        return DjlMlp.forward(spec, params, sm.create(x, new Shape(idx.length, w))).reshape(-1);
    }

    private int[] draw(int count, int b) {
        int[] idx = new int[b];
        for (int i = 0; i < b; i++) {
            idx[i] = rnd.nextInt(count);
        }
        return idx;
    }

    private void shuffle(int[] perm) {
        for (int i = perm.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
    }

    /** D's weights with its input normalisation, for {@link JvmDiscriminator}. */
    public ParameterSet weights() {
        Map<String, NamedArray> all = new LinkedHashMap<>(params.export().asMap());
        all.put("norm.mean", new NamedArray(new int[] {mean.length}, mean.clone()));
        all.put("norm.std", new NamedArray(new int[] {std.length}, std.clone()));
        return new ParameterSet(all);
    }

    private static final int STATE_MAGIC = 0x46524C44; // "FRLD"

    /** Weights, optimiser moments, λ_F and the sampling generator under {@code dir}, for {@link #restoreState}. */
    public void saveState(java.nio.file.Path dir) throws java.io.IOException {
        io.farl.model.jvm.ModelDirectory.writeWeights(dir.resolve("discriminator.bin"), params.export());
        io.farl.model.jvm.ModelDirectory.writeWeights(dir.resolve("discriminator-optimiser.bin"), adam.exportState());
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                java.nio.file.Files.newOutputStream(dir.resolve("discriminator.state"))))) {
            out.writeInt(STATE_MAGIC);
            out.writeDouble(lambda);
            out.writeLong(adam.steps());
            byte[] random = RandomState.serialise(rnd);
            out.writeInt(random.length);
            out.write(random);
        }
    }

    /** Continues exactly where {@link #saveState} left off (same config). */
    public void restoreState(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("discriminator.state");
        params.load(io.farl.model.jvm.ModelDirectory.readWeights(dir.resolve("discriminator.bin")));
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                java.nio.file.Files.newInputStream(file)))) {
            if (in.readInt() != STATE_MAGIC) {
                throw new io.farl.model.jvm.ModelFormatException(file + " is not a discriminator state");
            }
            lambda = in.readDouble();
            long steps = in.readLong();
            adam.importState(io.farl.model.jvm.ModelDirectory.readWeights(dir.resolve(
                    "discriminator-optimiser.bin")), steps);
            byte[] random = new byte[in.readInt()];
            in.readFully(random);
            rnd = RandomState.deserialise(random, file);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
