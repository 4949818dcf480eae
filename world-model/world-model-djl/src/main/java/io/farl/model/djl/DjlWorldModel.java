package io.farl.model.djl;

import io.farl.model.jvm.ConfigProperties;
import io.farl.model.jvm.MlpSpec;
import io.farl.model.jvm.ModelDirectory;
import io.farl.model.jvm.WorldModelLayout;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.WorldModelConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * TD-MPC2-style latent world model with FARL's constraint head, on DJL. One method per predicted quantity;
 * every method takes and returns batch-major arrays ({@code [batch, width]}); results attach to the manager of
 * the first input. Training lives in {@link WorldModelTrainer}; C_H rollouts in {@link DjlFailureCostModel}.
 * Owns its parameters: close it to free native memory.
 */
public final class DjlWorldModel implements AutoCloseable {
    public static final String KIND = ModelDirectory.WORLD_MODEL_KIND;

    private final WorldModelLayout layout;
    private final NdParameters params;

    private DjlWorldModel(WorldModelLayout layout, NdParameters params) {
        this.layout = layout;
        this.params = params;
    }

    /** A freshly initialised model; {@code obsMean}/{@code obsStd} become its fixed normalisation. */
    public static DjlWorldModel create(NDManager parent, WorldModelConfig config, float[] obsMean, float[] obsStd) {
        WorldModelLayout layout = new WorldModelLayout(config);
        NdParameters p = new NdParameters(parent);
        p.add("norm.mean", new int[] {config.observationSize()}, obsMean.clone());
        p.add("norm.std", new int[] {config.observationSize()}, obsStd.clone());
        Random rnd = new Random(config.seed());
        for (MlpSpec s : layout.all()) {
            DjlMlp.register(s, p, rnd);
        }
        return new DjlWorldModel(layout, p);
    }

    /** A model with the given weights; names and shapes must match {@code config}. */
    public static DjlWorldModel fromParameters(NDManager parent, WorldModelConfig config, ParameterSet weights) {
        int n = config.observationSize();
        DjlWorldModel m = create(parent, config, new float[n], new float[n]);
        try {
            m.params.load(weights);
        } catch (IllegalArgumentException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** Loads a version directory written by {@link #save}; refuses mismatched shapes or hashes. */
    public static DjlWorldModel load(NDManager parent, Path versionDir) {
        ModelDirectory.Loaded l = ModelDirectory.read(versionDir, KIND);
        WorldModelConfig config = readConfig(l.config(), versionDir.resolve(ModelDirectory.CONFIG).toString());
        try (DjlWorldModel shape = create(parent, config, new float[config.observationSize()],
                new float[config.observationSize()])) {
            ModelDirectory.checkShapes(versionDir.resolve(ModelDirectory.WEIGHTS), l.weights(), shape.export());
        }
        return fromParameters(parent, config, l.weights());
    }

    static WorldModelConfig readConfig(Properties p, String file) {
        return ModelDirectory.worldModelConfig(p, file);
    }

    /** Writes a new version under {@code root} and returns its directory. */
    public Path save(Path root, Map<String, Double> metrics) {
        Properties p = new Properties();
        ConfigProperties.put(p, "worldModel.", layout.config());
        return ModelDirectory.write(root, KIND, export(), p, metrics);
    }

    public WorldModelConfig config() {
        return layout.config();
    }

    public WorldModelLayout layout() {
        return layout;
    }

    NdParameters parameters() {
        return params;
    }

    /** Copies all weights out (the fast path and snapshots read these). */
    public ParameterSet export() {
        return params.export();
    }

    public float[] observationMean() {
        return params.get("norm.mean").toFloatArray();
    }

    public float[] observationStd() {
        return params.get("norm.std").toFloatArray();
    }

    // ---- one method per predicted quantity -------------------------------------------------------------

    /** Raw observations → normalised observations. */
    public NDArray normalise(NDArray obs) {
        return obs.sub(params.get("norm.mean")).div(params.get("norm.std"));
    }

    /** Encoder h: normalised observation → latent z. */
    public NDArray encode(NDArray normalisedObs) {
        return DjlMlp.forward(layout.encoder(), params, normalisedObs);
    }

    /** Latent dynamics d(z, a) → next latent. */
    public NDArray next(NDArray z, NDArray a) {
        return DjlMlp.forward(layout.dynamics(), params, z.concat(a, 1));
    }

    /** Reward R(z, a), shape [batch, 1]. */
    public NDArray reward(NDArray z, NDArray a) {
        return DjlMlp.forward(layout.reward(), params, z.concat(a, 1));
    }

    /** Q_k(z, a), shape [batch, 1]. */
    public NDArray q(int k, NDArray z, NDArray a) {
        return DjlMlp.forward(layout.values().get(k), params, z.concat(a, 1));
    }

    /** Logit of the constraint head ĉ(z, a), shape [batch, 1]. */
    public NDArray constraintLogit(NDArray z, NDArray a) {
        return DjlMlp.forward(layout.constraint(), params, z.concat(a, 1));
    }

    /** ĉ(z, a) = sigmoid(logit) ∈ (0, 1): probability that (z, a) is an IR failure. */
    public NDArray constraint(NDArray z, NDArray a) {
        return Activation.sigmoid(constraintLogit(z, a));
    }

    /** Pre-tanh mean of the policy prior, shape [batch, actionSize]. */
    public NDArray priorMean(NDArray z) {
        return DjlMlp.forward(layout.prior(), params, z).get(new NDIndex(":, :{}", layout.config().actionSize()));
    }

    /** Pre-tanh mean and bounded log-std of the policy prior, shape [batch, 2 * actionSize]. */
    public NDArray priorMeanLogStd(NDArray z) {
        NDArray out = DjlMlp.forward(layout.prior(), params, z);
        int a = layout.config().actionSize();
        NDArray mean = out.get(new NDIndex(":, :{}", a));
        float lo = WorldModelLayout.PRIOR_MIN_LOG_STD;
        float hi = WorldModelLayout.PRIOR_MAX_LOG_STD;
        NDArray logStd = NdArrays.mul(out.get(new NDIndex(":, {}:", a)).tanh().add(1f), 0.5f * (hi - lo)).add(lo);
        return mean.concat(logStd, 1);
    }

    /** Deterministic prior action tanh(mean) ∈ [-1, 1]. */
    public NDArray priorAction(NDArray z) {
        return priorMean(z).tanh();
    }

    /** Decoder: latent → normalised observation (only with {@code decoderEnabled}). */
    public NDArray decode(NDArray z) {
        if (layout.decoder() == null) {
            throw new IllegalStateException("this world model was trained without a decoder");
        }
        return DjlMlp.forward(layout.decoder(), params, z);
    }

    public boolean hasDecoder() {
        return layout.decoder() != null;
    }

    /** Expected shapes of a model with {@code config} (for checking foreign weights). */
    public static Map<String, NamedArray> expectedShapes(NDManager parent, WorldModelConfig config) {
        try (DjlWorldModel m = create(parent, config, new float[config.observationSize()],
                new float[config.observationSize()])) {
            return m.export().asMap();
        }
    }

    @Override
    public void close() {
        params.close();
    }
}
