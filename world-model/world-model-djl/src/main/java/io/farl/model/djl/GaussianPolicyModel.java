package io.farl.model.djl;

import io.farl.model.jvm.ConfigProperties;
import io.farl.model.jvm.MlpSpec;
import io.farl.model.jvm.ModelDirectory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.PolicySnapshot;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * Tanh-squashed Gaussian actor with a state-independent log-std, plus a state-value critic, on DJL.
 * Parameters: {@code norm.mean}/{@code norm.std} (observation normalisation), {@code pi.} (observation → pre-tanh
 * mean), {@code log_std}, {@code v.} (observation → V). One method per quantity, batch-major. Owns its
 * parameters: close it to free native memory.
 */
public final class GaussianPolicyModel implements AutoCloseable {
    public static final String KIND = ModelDirectory.POLICY_KIND;

    private final PolicyNetworkConfig config;
    private final MlpSpec actor;
    private final MlpSpec critic;
    private final NdParameters params;

    private GaussianPolicyModel(PolicyNetworkConfig config, NdParameters params) {
        this.config = config;
        this.actor = actorSpec(config);
        this.critic = criticSpec(config);
        this.params = params;
    }

    static MlpSpec actorSpec(PolicyNetworkConfig c) {
        return MlpSpec.policyActor(c);
    }

    static MlpSpec criticSpec(PolicyNetworkConfig c) {
        return MlpSpec.policyCritic(c);
    }

    public static GaussianPolicyModel create(NDManager parent, PolicyNetworkConfig c, float[] obsMean, float[] obsStd,
            long seed) {
        NdParameters p = new NdParameters(parent);
        p.add("norm.mean", new int[] {c.observationSize()}, obsMean.clone());
        p.add("norm.std", new int[] {c.observationSize()}, obsStd.clone());
        Random rnd = new Random(seed);
        DjlMlp.register(actorSpec(c), p, rnd);
        p.addConstant("log_std", new int[] {c.actionSize()}, (float) c.initialLogStd());
        DjlMlp.register(criticSpec(c), p, rnd);
        return new GaussianPolicyModel(c, p);
    }

    public static GaussianPolicyModel fromParameters(NDManager parent, PolicyNetworkConfig c, ParameterSet weights) {
        GaussianPolicyModel m = create(parent, c, new float[c.observationSize()], new float[c.observationSize()], 0);
        try {
            m.params.load(weights);
        } catch (IllegalArgumentException e) {
            m.close();
            throw e;
        }
        return m;
    }

    public static GaussianPolicyModel fromSnapshot(NDManager parent, PolicySnapshot s) {
        return fromParameters(parent, s.networkConfig(), s.parameters());
    }

    public static GaussianPolicyModel load(NDManager parent, Path versionDir) {
        ModelDirectory.Loaded l = ModelDirectory.read(versionDir, KIND);
        PolicyNetworkConfig c = ConfigProperties.get(l.config(), "policy.", PolicyNetworkConfig.class,
                versionDir.resolve(ModelDirectory.CONFIG).toString());
        try (GaussianPolicyModel shape = create(parent, c, new float[c.observationSize()],
                new float[c.observationSize()], 0)) {
            ModelDirectory.checkShapes(versionDir.resolve(ModelDirectory.WEIGHTS), l.weights(), shape.export());
        }
        return fromParameters(parent, c, l.weights());
    }

    public Path save(Path root, Map<String, Double> metrics) {
        Properties p = new Properties();
        ConfigProperties.put(p, "policy.", config);
        return ModelDirectory.write(root, KIND, export(), p, metrics);
    }

    public PolicyNetworkConfig config() {
        return config;
    }

    NdParameters parameters() {
        return params;
    }

    public ParameterSet export() {
        return params.export();
    }

    public PolicySnapshot snapshot(long version) {
        return new PolicySnapshot(version, System.nanoTime(), export(), config);
    }

    /** Replaces the observation normalisation (running statistics of the online learner). */
    void setNormalisation(float[] mean, float[] std) {
        params.get("norm.mean").set(mean);
        params.get("norm.std").set(std);
    }

    // ---- one method per predicted quantity -------------------------------------------------------------

    public NDArray normalise(NDArray obs) {
        return obs.sub(params.get("norm.mean")).div(params.get("norm.std"));
    }

    /** Pre-tanh action mean, [batch, actionSize]. */
    public NDArray mean(NDArray normalisedObs) {
        return DjlMlp.forward(actor, params, normalisedObs);
    }

    /** Log-std clipped to the configured bounds, [actionSize]. */
    public NDArray logStd() {
        return params.get("log_std").clip(config.minLogStd(), config.maxLogStd());
    }

    /** V(s), [batch]. */
    public NDArray value(NDArray normalisedObs) {
        return DjlMlp.forward(critic, params, normalisedObs).reshape(-1);
    }

    /** Log-density of {@code action} at the normalised observations, [batch]. */
    public NDArray logProb(NDArray normalisedObs, NDArray action) {
        NDArray mean = mean(normalisedObs);
        NDArray logStd = logStd().broadcast(mean.getShape());
        return Stats.tanhGaussianLogProb(mean, logStd, action);
    }

    /** Entropy of the pre-tanh Gaussian (a standard PPO surrogate for the squashed entropy), scalar. */
    public NDArray gaussianEntropy() {
        return logStd().add((float) (0.5 * Math.log(2 * Math.PI * Math.E))).sum();
    }

    @Override
    public void close() {
        params.close();
    }
}
