package io.farl.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.farl.model.api.ActConfig;
import io.farl.model.api.EpisodicPolicy;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicyAction;
import io.farl.model.jvm.ConfigProperties;
import io.farl.model.jvm.ModelDirectory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A trained {@link FailureAwareAct} acting: at the first observation of an episode it takes the PB of the successful
 * training demonstration whose first observation is nearest by cosine similarity (normalised observations; the
 * source embeds the first overhead image instead), then predicts a chunk at every step and executes, by
 * {@link Execution}, the first action of the newest chunk or the exponentially weighted mean of every chunk's
 * prediction for the current step (ACT's temporal ensembling, oldest weighted most, weight e^{−0.01 i}).
 *
 * <p>Deterministic: a chunking transformer is not a stochastic policy, so {@link #logProb} is 0 and the
 * {@code deterministic} flag is ignored. Owns native memory; single-threaded.
 */
public final class ActPolicy implements EpisodicPolicy, AutoCloseable {
    /** Which predicted action a step executes. */
    public enum Execution {
        /** The first action of the chunk predicted for this step's observation (re-planned every step). */
        NEWEST,
        /** ACT's temporal ensemble over every chunk that predicted this step. */
        ENSEMBLE
    }

    /** Model directory kind. */
    public static final String KIND = "farl.act-policy";
    private static final double ENSEMBLE_DECAY = 0.01;

    private final ActConfig config;
    private final NDManager manager;
    private final FailureAwareAct model;
    private final float[] mean;
    private final float[] std;
    private final float[] retrievalObs;
    private final int[] retrievalRows;
    private final float[][] chunks;
    private final Execution execution;
    private int step;
    private int pbRow = -1;

    public ActPolicy(ActConfig config, int rows, ParameterSet weights) {
        this(config, rows, weights, Execution.NEWEST);
    }

    public ActPolicy(ActConfig config, int rows, ParameterSet weights, Execution execution) {
        this.execution = execution;
        this.config = config;
        int n = config.observationSize();
        this.mean = weights.get("norm.mean", n).data().clone();
        this.std = weights.get("norm.std", n).data().clone();
        float[] ro = weights.get("retrieval.rows").data();
        if (ro.length == 0) {
            throw new IllegalArgumentException("the model has no successful demonstration to take a PB from");
        }
        this.retrievalRows = new int[ro.length];
        for (int i = 0; i < ro.length; i++) {
            retrievalRows[i] = (int) ro[i];
        }
        this.retrievalObs = weights.get("retrieval.obs", ro.length, n).data().clone();
        this.chunks = new float[config.chunk()][];
        this.manager = NDManager.newBaseManager();
        try {
            this.model = new FailureAwareAct(manager, config, rows);
            model.load(ActTrainer.modelWeights(weights));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Writes a trained model as a model directory version under {@code root}. */
    public static Path save(Path root, ActTrainer.Result r, Map<String, Double> metrics) {
        Properties p = new Properties();
        ConfigProperties.put(p, "act.", r.config());
        p.setProperty("act.rows", Integer.toString(r.rows()));
        return ModelDirectory.write(root, KIND, r.weights(), p, metrics);
    }

    /** Reads a model directory version written by {@link #save}. */
    public static ActPolicy load(Path versionDir) {
        return load(versionDir, Execution.NEWEST);
    }

    /** The same, executing as asked. */
    public static ActPolicy load(Path versionDir, Execution execution) {
        ModelDirectory.Loaded l = ModelDirectory.read(versionDir, KIND);
        ActConfig c = ConfigProperties.get(l.config(), "act.", ActConfig.class,
                versionDir.resolve(ModelDirectory.CONFIG).toString());
        int rows = Integer.parseInt(l.config().getProperty("act.rows", "0"));
        return new ActPolicy(c, rows, l.weights(), execution);
    }

    @Override
    public void startEpisode() {
        pbRow = -1;
        step = 0;
        java.util.Arrays.fill(chunks, null);
    }

    /** The PB row taken for this episode (−1 before its first observation). */
    public int pbRow() {
        return pbRow;
    }

    @Override
    public PolicyAction act(float[] observation, boolean deterministic) {
        int n = config.observationSize();
        if (observation.length != n) {
            throw new IllegalArgumentException("the ACT policy reads " + n + " observation values, got "
                    + observation.length);
        }
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (observation[k] - mean[k]) / std[k];
        }
        if (pbRow < 0) {
            pbRow = nearest(x);
        }
        float[] chunk;
        try (NDManager sm = manager.newSubManager(); NDScope scope = new NDScope()) {
            NDArray out = model.forward(sm.create(x, new Shape(1, n)), model.pbOf(sm, new int[] {pbRow})).chunk();
            chunk = out.toFloatArray();
        }
        chunks[step % chunks.length] = chunk;
        if (execution == Execution.NEWEST) {
            step++;
            return new PolicyAction(java.util.Arrays.copyOf(chunk, config.actionSize()), 0.0, 0);
        }
        return new PolicyAction(ensemble(), 0.0, 0);
    }

    /** The weighted mean of every stored chunk's prediction for the current step; then the step advances. */
    private float[] ensemble() {
        int m = config.actionSize();
        float[] a = new float[m];
        double total = 0;
        int oldest = Math.max(0, step - config.chunk() + 1);
        for (int t = oldest; t <= step; t++) {
            float[] c = chunks[t % chunks.length];
            if (c == null) {
                continue;
            }
            double w = Math.exp(-ENSEMBLE_DECAY * (t - oldest));
            int at = step - t;
            for (int k = 0; k < m; k++) {
                a[k] += (float) (w * c[at * m + k]);
            }
            total += w;
        }
        for (int k = 0; k < m; k++) {
            a[k] = (float) (a[k] / total);
        }
        step++;
        return a;
    }

    private int nearest(float[] x) {
        int n = x.length;
        double best = Double.NEGATIVE_INFINITY;
        int bestRow = retrievalRows[0];
        double nx = 0;
        for (float v : x) {
            nx += v * v;
        }
        for (int i = 0; i < retrievalRows.length; i++) {
            double dot = 0;
            double ny = 0;
            for (int k = 0; k < n; k++) {
                float y = retrievalObs[i * n + k];
                dot += x[k] * y;
                ny += y * y;
            }
            double cos = dot / Math.sqrt(Math.max(1e-12, nx * ny));
            if (cos > best) {
                best = cos;
                bestRow = retrievalRows[i];
            }
        }
        return bestRow;
    }

    @Override
    public double logProb(float[] observation, float[] action) {
        return 0.0;
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
        return 0;
    }

    public ActConfig config() {
        return config;
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            manager.close();
        }
    }
}
