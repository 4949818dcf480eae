package io.farl.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.ProgressListener;
import io.farl.model.api.RewardModelConfig;
import io.farl.model.api.SupervisedConfig;
import io.farl.model.api.TrainingReport;
import io.farl.model.api.TransitionData;
import io.farl.model.jvm.JvmStateReward;
import io.farl.model.jvm.MlpSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * TW-CRL's reward learning (time-weighted contrastive reward learning): a state-only reward r(s) regressed onto
 * +w(t) for the states of successful episodes and −w(t) for those of failed ones ({@link RewardModelConfig#weight}),
 * so later states, those closer to the goal or to the trap, weigh more and r approximates P(success) − P(failure).
 *
 * <p>An episode counts as <i>successful</i> when it ends in a terminal state without an IR failure, and as
 * <i>failed</i> when it has an IR failure or ends by the time limit without reaching the goal (the source's
 * definition: not reaching the goal within the horizon is a failure). Recovery demonstrations are left out: they are
 * not attempts at the task. Every state s_0 … s_T of an episode is labelled (the final state after the last action
 * included, since it is the goal or the trap).
 *
 * <p>Runs DJL on the calling thread and frees its native memory before returning.
 */
public final class RewardTrainer {

    private RewardTrainer() {
    }

    /** Labelled states: rows of observations, the label of each, and how many episodes of each kind. */
    public record Labelled(float[] observations, float[] labels, int observationSize, int successEpisodes,
            int failedEpisodes) {
        public int size() {
            return labels.length;
        }
    }

    /** What training produced: the network's weights (with the observation normalisation) and the loss curve. */
    public record Result(MlpSpec spec, ParameterSet weights, TrainingReport report) {
        public JvmStateReward model(java.util.Properties config) {
            return new JvmStateReward(spec, weights, config);
        }
    }

    /** The outcome of an episode as TW-CRL reads it; null for episodes it leaves out. */
    public static Boolean succeeded(TransitionData d, int episode) {
        if (d.episodeSource(episode) == EpisodeSource.RECOVERY) {
            return null;
        }
        int end = d.episodeEnd(episode);
        boolean failed = false;
        for (int i = d.episodeStart(episode); i < end; i++) {
            failed |= d.failures()[i];
        }
        return !failed && d.terminals()[end - 1];
    }

    /** States s_0 … s_T of an episode: one per transition, and the final one after the last action. */
    public static int states(TransitionData d, int episode) {
        return d.episodeEnd(episode) - d.episodeStart(episode) + 1;
    }

    /** Copies state {@code t} of {@code episode} (t = {@link #states} − 1: the final state) into {@code dst}. */
    public static void state(TransitionData d, int episode, int t, float[] dst, int dstOffset) {
        int n = d.observationSize();
        int last = states(d, episode) - 1;
        float[] src = t < last ? d.observations() : d.nextObservations();
        int at = t < last ? d.episodeStart(episode) + t : d.episodeEnd(episode) - 1;
        System.arraycopy(src, at * n, dst, dstOffset, n);
    }

    /** Every state of every used episode with its TW-CRL label. */
    public static Labelled label(TransitionData d, RewardModelConfig c) {
        int n = d.observationSize();
        int rows = 0;
        for (int e = 0; e < d.episodeCount(); e++) {
            if (succeeded(d, e) != null) {
                rows += states(d, e);
            }
        }
        float[] obs = new float[rows * n];
        float[] y = new float[rows];
        int row = 0;
        int wins = 0;
        int losses = 0;
        for (int e = 0; e < d.episodeCount(); e++) {
            Boolean ok = succeeded(d, e);
            if (ok == null) {
                continue;
            }
            wins += ok ? 1 : 0;
            losses += ok ? 0 : 1;
            int length = states(d, e);
            for (int t = 0; t < length; t++) {
                state(d, e, t, obs, row * n);
                double w = c.weight(t, length);
                y[row++] = (float) (ok ? w : -w);
            }
        }
        return new Labelled(obs, y, n, wins, losses);
    }

    /** Fits r(s) to the labels of {@code data} by mean squared error. Deterministic for the config's seed. */
    public static Result train(Labelled data, RewardModelConfig c, ProgressListener listener) {
        if (data.successEpisodes() == 0 || data.failedEpisodes() == 0) {
            throw new IllegalArgumentException("TW-CRL needs successful and failed episodes, got "
                    + data.successEpisodes() + " and " + data.failedEpisodes());
        }
        if (data.observationSize() != c.observationSize()) {
            throw new IllegalArgumentException("the data has " + data.observationSize()
                    + " observation values, the config " + c.observationSize());
        }
        int n = c.observationSize();
        float[] mean = Stats.mean(data.observations(), n);
        float[] std = Stats.std(data.observations(), n, mean);
        return fit(data, c, null, mean, std, new SupervisedConfig(c.epochs(), c.batchSize(), c.learningRate(),
                c.seed()), listener);
    }

    /**
     * Continues training the reward {@code current} (weights and observation normalisation as {@link #train} stores
     * them) on {@code data} for {@code epochs} epochs with a fresh optimiser, keeping its normalisation so that the
     * reward's scale does not jump: the online refit of TW-CRL as the agent's own episodes arrive. Deterministic for
     * {@code seed}.
     */
    public static Result refine(ParameterSet current, Labelled data, RewardModelConfig c, int epochs, long seed) {
        if (data.observationSize() != c.observationSize()) {
            throw new IllegalArgumentException("the data has " + data.observationSize()
                    + " observation values, the config " + c.observationSize());
        }
        int n = c.observationSize();
        return fit(data, c, current, current.get("norm.mean", n).data().clone(),
                current.get("norm.std", n).data().clone(),
                new SupervisedConfig(epochs, c.batchSize(), c.learningRate(), seed), ProgressListener.NONE);
    }

    private static Result fit(Labelled data, RewardModelConfig c, ParameterSet start, float[] mean, float[] std,
            SupervisedConfig schedule, ProgressListener listener) {
        int n = c.observationSize();
        float[] x = WorldModelTrainer.normalise(data.observations(), mean, std);
        float[] y = data.labels();
        MlpSpec spec = JvmStateReward.spec(n, c.hiddenSize(), c.hiddenLayers());
        try (NDManager manager = NDManager.newBaseManager(); NdParameters p = new NdParameters(manager)) {
            DjlMlp.register(spec, p, new Random(c.seed()));
            if (start != null) {
                // the network's own parameters; the normalisation is kept as given
                p.load(new ParameterSet(Map.of()).with(JvmStateReward.PREFIX, start.under(JvmStateReward.PREFIX)));
            }
            Adam adam = new Adam(p.manager(), Double.POSITIVE_INFINITY).add(p.all(), 1.0);
            TrainingReport report = PolicyTrainer.minibatches("tw-crl", y.length, schedule, listener,
                    (sm, idx) -> {
                        NDArray xb = sm.create(WorldModelTrainer.rows(x, idx, n), new Shape(idx.length, n));
                        NDArray target = sm.create(WorldModelTrainer.pick(y, idx));
                        NDArray r = DjlMlp.forward(spec, p, xb).reshape(-1);
                        NDArray mse = r.sub(target).square().mean();
                        return new NDArray[] {mse};
                    }, new String[] {"mse"}, adam, schedule.learningRate());
            Map<String, NamedArray> all = new LinkedHashMap<>(p.export().asMap());
            all.put("norm.mean", new NamedArray(new int[] {n}, mean));
            all.put("norm.std", new NamedArray(new int[] {n}, std));
            return new Result(spec, new ParameterSet(all), report);
        }
    }

    /** Mean squared error of {@code model} on labelled states (a held-out check). */
    public static double meanSquaredError(JvmStateReward model, Labelled data) {
        int n = data.observationSize();
        double sum = 0;
        float[] row = new float[n];
        for (int i = 0; i < data.size(); i++) {
            System.arraycopy(data.observations(), i * n, row, 0, n);
            double d = model.reward(row) - data.labels()[i];
            sum += d * d;
        }
        return data.size() == 0 ? Double.NaN : sum / data.size();
    }
}
