package io.farl.model.jvm;

import io.farl.model.api.ParameterSet;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicyAction;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.PolicySnapshot;
import java.util.Random;

/**
 * Plain-JVM tanh-Gaussian policy over the weights of a policy trained with DJL ({@code GaussianPolicyModel}), read
 * from a model directory or a {@link PolicySnapshot}; no native code. {@link #meanAction} allocates nothing. One
 * instance per thread.
 */
public final class JvmGaussianPolicy implements Policy {
    private final PolicyNetworkConfig config;
    private final long version;
    private final float[] mean;
    private final float[] std;
    private final float[] logStd;
    private final JvmMlp actor;
    private final float[] x;
    /** Normalised observations of {@link #meanActions}; grown on demand. */
    private float[] xs = new float[0];
    private final float[] mu;
    private final Random rnd;

    public JvmGaussianPolicy(PolicyNetworkConfig config, ParameterSet p, long version, long seed) {
        this(config, p, version, seed, Kernels.INSTANCE);
    }

    public JvmGaussianPolicy(PolicyNetworkConfig config, ParameterSet p, long version, long seed, Kernels kernels) {
        this.config = config;
        this.version = version;
        int n = config.observationSize();
        mean = p.get("norm.mean", n).data().clone();
        std = p.get("norm.std", n).data().clone();
        float[] ls = p.get("log_std", config.actionSize()).data();
        logStd = new float[ls.length];
        for (int i = 0; i < ls.length; i++) {
            logStd[i] = (float) Math.max(config.minLogStd(), Math.min(config.maxLogStd(), ls[i]));
        }
        actor = new JvmMlp(MlpSpec.policyActor(config), p, kernels);
        x = new float[n];
        mu = new float[config.actionSize()];
        rnd = new Random(seed);
    }

    public static JvmGaussianPolicy fromSnapshot(PolicySnapshot s, long seed) {
        return new JvmGaussianPolicy(s.networkConfig(), s.parameters(), s.version(), seed);
    }

    /** Pre-tanh mean for {@code observation}; returns an internal buffer valid until the next call. */
    float[] preTanhMean(float[] observation) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (observation[i] - mean[i]) / std[i];
        }
        // the MLP's buffer has room for a batch of 2; TanhGaussian works on whole arrays
        System.arraycopy(actor.forward(x), 0, mu, 0, mu.length);
        return mu;
    }

    /** Writes the deterministic action tanh(μ(s)) into {@code out}. */
    public void meanAction(float[] observation, float[] out) {
        TanhGaussian.meanAction(preTanhMean(observation), out);
    }

    /**
     * Mean actions tanh(μ(s)) of {@code n} observations at {@code observations[r * observationSize() ..]} into
     * {@code out[r * actionSize() ..]}, as {@code n} calls of {@link #meanAction} (one batched forward pass; up to
     * float rounding). Allocates only the first time {@code n} exceeds every earlier batch.
     */
    public void meanActions(float[] observations, int n, float[] out) {
        int obs = x.length;
        if (xs.length < n * obs) {
            xs = new float[n * obs];
        }
        for (int r = 0; r < n; r++) {
            int o = r * obs;
            for (int i = 0; i < obs; i++) {
                xs[o + i] = (observations[o + i] - mean[i]) / std[i];
            }
        }
        float[] mu = actor.forward(xs, 0, obs, n);
        int a = config.actionSize();
        for (int k = 0; k < n * a; k++) {
            out[k] = (float) Math.tanh(mu[k]);
        }
    }

    @Override
    public PolicyAction act(float[] observation, boolean deterministic) {
        float[] mu = preTanhMean(observation);
        float[] out = new float[config.actionSize()];
        double lp;
        if (deterministic) {
            TanhGaussian.meanAction(mu, out);
            lp = TanhGaussian.logProb(mu, logStd, out);
        } else {
            lp = TanhGaussian.sample(mu, logStd, rnd, out);
        }
        return new PolicyAction(out, lp, version);
    }

    @Override
    public double logProb(float[] observation, float[] action) {
        return TanhGaussian.logProb(preTanhMean(observation), logStd, action);
    }

    @Override
    public int observationSize() {
        return config.observationSize();
    }

    @Override
    public int actionSize() {
        return config.actionSize();
    }

    @Override
    public long version() {
        return version;
    }
}
