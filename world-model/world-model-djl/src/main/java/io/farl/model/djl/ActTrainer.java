package io.farl.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.farl.model.api.ActConfig;
import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.ProgressListener;
import io.farl.model.api.SupervisedConfig;
import io.farl.model.api.TrainingReport;
import io.farl.model.api.TransitionData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a {@link FailureAwareAct} on labelled demonstrations and scores failure demonstrations by the source's
 * attention-discrepancy metric. Each demonstration gets a PB row; every step of it is a sample whose target is the
 * next {@code chunk} actions of the demonstration (steps past its end are padding, left out of the loss).
 *
 * <p>Runs DJL on the calling thread and frees its native memory before returning.
 */
public final class ActTrainer {

    private ActTrainer() {
    }

    /**
     * The training demonstrations: {@code episodes[r]} is the episode of {@code data} behind PB row r, {@code success[r]}
     * its label.
     */
    public record Demos(TransitionData data, int[] episodes, boolean[] success) {
        public Demos {
            if (episodes.length != success.length || episodes.length == 0) {
                throw new IllegalArgumentException("one label per demonstration, and at least one demonstration");
            }
        }

        int rows() {
            return episodes.length;
        }

        boolean bothLabels() {
            boolean s = false;
            boolean f = false;
            for (boolean b : success) {
                s |= b;
                f |= !b;
            }
            return s && f;
        }
    }

    /**
     * What training produced: the weights with the PB table, the observation normalisation ({@code norm.mean},
     * {@code norm.std}) and, for retrieval at inference, the normalised first observation of every successful
     * demonstration ({@code retrieval.obs} [S, n]) with its PB row ({@code retrieval.rows} [S]).
     */
    public record Result(ActConfig config, int rows, ParameterSet weights, TrainingReport report) {
    }

    /** Fits the model to {@code demos}. Deterministic for the config's seed. */
    public static Result train(Demos demos, ActConfig c, ProgressListener listener) {
        TransitionData d = demos.data();
        if (d.observationSize() != c.observationSize() || d.actionSize() != c.actionSize()) {
            throw new IllegalArgumentException("the data has " + d.observationSize() + " + " + d.actionSize()
                    + " values per step, the config " + c.observationSize() + " + " + c.actionSize());
        }
        int n = c.observationSize();
        float[] mean = Stats.mean(d.observations(), n);
        float[] std = Stats.std(d.observations(), n, mean);
        float[] obs = WorldModelTrainer.normalise(d.observations(), mean, std);
        Samples s = Samples.of(demos, c.chunk());
        boolean kl = c.klWeight() > 0 && demos.bothLabels();
        int[][] byLabel = byLabel(demos);
        Random negatives = new Random(c.seed() * 17 + 3);
        try (NDManager manager = NDManager.newBaseManager();
                FailureAwareAct model = new FailureAwareAct(manager, c, demos.rows())) {
            Adam adam = new Adam(model.parameters().manager(), 1.0).add(model.parameters().all(), 1.0);
            TrainingReport report = PolicyTrainer.minibatches("act", s.size(),
                    new SupervisedConfig(c.epochs(), c.batchSize(), c.learningRate(), c.seed()), listener,
                    (sm, idx) -> {
                        int[] rows = new int[idx.length];
                        for (int i = 0; i < idx.length; i++) {
                            rows[i] = s.row[idx[i]];
                        }
                        NDArray o = NdArrays.of(sm, pickRows(obs, s.transition, idx, n), new Shape(idx.length, n));
                        NDArray memory = model.encode(o);
                        FailureAwareAct.Output pos = model.decode(memory, model.pbOf(sm, rows));
                        NDArray target = NdArrays.of(sm, s.targets(idx, d, c), new Shape(idx.length, c.chunk(),
                                c.actionSize()));
                        NDArray mask = NdArrays.of(sm, s.masks(idx, c), new Shape(idx.length, c.chunk(), 1));
                        NDArray l1 = NdArrays.div(pos.chunk().sub(target).abs().mul(mask).sum(),
                                Math.max(1f, mask.sum().getFloat() * c.actionSize()));
                        if (!kl) {
                            return new NDArray[] {l1, l1, sm.zeros(new Shape())};
                        }
                        int[] other = new int[idx.length];
                        for (int i = 0; i < idx.length; i++) {
                            int[] pool = byLabel[demos.success()[rows[i]] ? 0 : 1];
                            other[i] = pool[negatives.nextInt(pool.length)];
                        }
                        FailureAwareAct.Output neg = model.decode(memory, model.pbOf(sm, other));
                        NDArray div = meanKl(pos, neg);
                        // beyond the cap the separation earns nothing more (an unbounded term ran away)
                        NDArray rewarded = Double.isInfinite(c.klCap()) ? div : NdArrays.minimum(div, c.klCap());
                        NDArray loss = l1.sub(NdArrays.mul(rewarded, c.klWeight()));
                        return new NDArray[] {loss, l1, div};
                    }, new String[] {"loss", "l1", "klSym"}, adam, c.learningRate());
            Map<String, NamedArray> all = new LinkedHashMap<>(model.export().asMap());
            all.put("norm.mean", new NamedArray(new int[] {n}, mean));
            all.put("norm.std", new NamedArray(new int[] {n}, std));
            addRetrieval(all, demos, obs, n);
            return new Result(c, demos.rows(), new ParameterSet(all), report);
        }
    }

    /** Mean symmetrised KL between two passes' decoder self-attention, over blocks and rows. */
    static NDArray meanKl(FailureAwareAct.Output a, FailureAwareAct.Output b) {
        NDArray sum = null;
        for (int k = 0; k < a.selfAttention().size(); k++) {
            NDArray kl = FailureAwareAct.symmetricKl(a.selfAttention().get(k), b.selfAttention().get(k), false);
            sum = sum == null ? kl : sum.add(kl);
        }
        return NdArrays.div(sum, a.selfAttention().size());
    }

    /** PB rows of the successful (index 0) and the failed (index 1) demonstrations that another label draws from. */
    private static int[][] byLabel(Demos demos) {
        List<Integer> failed = new ArrayList<>();
        List<Integer> succeeded = new ArrayList<>();
        for (int r = 0; r < demos.rows(); r++) {
            (demos.success()[r] ? succeeded : failed).add(r);
        }
        // a successful sample's negative is a failed PB and the other way round
        return new int[][] {failed.stream().mapToInt(Integer::intValue).toArray(),
            succeeded.stream().mapToInt(Integer::intValue).toArray()};
    }

    private static void addRetrieval(Map<String, NamedArray> all, Demos demos, float[] obs, int n) {
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < demos.rows(); r++) {
            if (demos.success()[r]) {
                rows.add(r);
            }
        }
        float[] first = new float[rows.size() * n];
        float[] index = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            int start = demos.data().episodeStart(demos.episodes()[rows.get(i)]);
            System.arraycopy(obs, start * n, first, i * n, n);
            index[i] = rows.get(i);
        }
        all.put("retrieval.obs", new NamedArray(new int[] {rows.size(), n}, first));
        all.put("retrieval.rows", new NamedArray(new int[] {rows.size()}, index));
    }

    static float[] pickRows(float[] src, int[] transition, int[] idx, int width) {
        float[] out = new float[idx.length * width];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(src, transition[idx[i]] * width, out, i * width, width);
        }
        return out;
    }

    /** Every step of every demonstration: its PB row and its transition in the data. */
    static final class Samples {
        final int[] row;
        final int[] transition;
        final int[] episodeEnd;

        private Samples(int[] row, int[] transition, int[] episodeEnd) {
            this.row = row;
            this.transition = transition;
            this.episodeEnd = episodeEnd;
        }

        static Samples of(Demos demos, int chunk) {
            int total = 0;
            TransitionData d = demos.data();
            for (int e : demos.episodes()) {
                total += d.episodeEnd(e) - d.episodeStart(e);
            }
            int[] row = new int[total];
            int[] transition = new int[total];
            int[] end = new int[total];
            int k = 0;
            for (int r = 0; r < demos.rows(); r++) {
                int e = demos.episodes()[r];
                for (int t = d.episodeStart(e); t < d.episodeEnd(e); t++) {
                    row[k] = r;
                    transition[k] = t;
                    end[k++] = d.episodeEnd(e);
                }
            }
            return new Samples(row, transition, end);
        }

        int size() {
            return row.length;
        }

        float[] targets(int[] idx, TransitionData d, ActConfig c) {
            int m = c.actionSize();
            float[] out = new float[idx.length * c.chunk() * m];
            for (int i = 0; i < idx.length; i++) {
                int t0 = transition[idx[i]];
                for (int j = 0; j < c.chunk() && t0 + j < episodeEnd[idx[i]]; j++) {
                    System.arraycopy(d.actions(), (t0 + j) * m, out, (i * c.chunk() + j) * m, m);
                }
            }
            return out;
        }

        float[] masks(int[] idx, ActConfig c) {
            float[] out = new float[idx.length * c.chunk()];
            for (int i = 0; i < idx.length; i++) {
                int t0 = transition[idx[i]];
                for (int j = 0; j < c.chunk(); j++) {
                    out[i * c.chunk() + j] = t0 + j < episodeEnd[idx[i]] ? 1f : 0f;
                }
            }
            return out;
        }
    }

    /**
     * The source's metric K̄(f) for every failed demonstration of a trained model: over the failure's own steps, the
     * symmetrised KL between the decoder self-attention with its own PB and with the PB of each successful
     * demonstration, averaged over the steps and summed over the successful demonstrations. Indexed by PB row; NaN
     * for successful rows. Deterministic.
     *
     * @param weights a {@link Result}'s weights
     */
    public static double[] failureDiscrepancy(Demos demos, ActConfig c, ParameterSet weights) {
        return failureDiscrepancy(demos, c, weights, Integer.MAX_VALUE);
    }

    /**
     * The same against at most {@code maxReferences} successful demonstrations, evenly spaced over them (the sum then
     * runs over those only).
     */
    public static double[] failureDiscrepancy(Demos demos, ActConfig c, ParameterSet weights, int maxReferences) {
        if (maxReferences <= 0) {
            throw new IllegalArgumentException("need at least one reference success");
        }
        int n = c.observationSize();
        float[] mean = weights.get("norm.mean", n).data();
        float[] std = weights.get("norm.std", n).data();
        float[] obs = WorldModelTrainer.normalise(demos.data().observations(), mean, std);
        int[] successes = evenlySpaced(byLabel(demos)[1], maxReferences);
        double[] out = new double[demos.rows()];
        java.util.Arrays.fill(out, Double.NaN);
        try (NDManager manager = NDManager.newBaseManager();
                FailureAwareAct model = new FailureAwareAct(manager, c, demos.rows())) {
            model.load(modelWeights(weights));
            for (int r = 0; r < demos.rows(); r++) {
                if (demos.success()[r]) {
                    continue;
                }
                out[r] = discrepancy(model, demos, obs, r, successes);
            }
        }
        return out;
    }

    private static int[] evenlySpaced(int[] rows, int max) {
        if (rows.length <= max) {
            return rows;
        }
        int[] out = new int[max];
        for (int i = 0; i < max; i++) {
            out[i] = rows[(int) ((long) i * rows.length / max)];
        }
        return out;
    }

    private static double discrepancy(FailureAwareAct model, Demos demos, float[] obs, int row, int[] successes) {
        ActConfig c = model.config();
        int n = c.observationSize();
        int e = demos.episodes()[row];
        int from = demos.data().episodeStart(e);
        int steps = demos.data().episodeEnd(e) - from;
        float[] o = java.util.Arrays.copyOfRange(obs, from * n, (from + steps) * n);
        double total = 0;
        try (NDManager sm = model.parameters().manager().newSubManager(); NDScope scope = new NDScope()) {
            NDArray memory = model.encode(NdArrays.of(sm, o, new Shape(steps, n)));
            int[] own = new int[steps];
            java.util.Arrays.fill(own, row);
            FailureAwareAct.Output mine = model.decode(memory, model.pbOf(sm, own));
            for (int s : successes) {
                try (NDManager inner = sm.newSubManager(); NDScope innerScope = new NDScope()) {
                    int[] theirs = new int[steps];
                    java.util.Arrays.fill(theirs, s);
                    FailureAwareAct.Output other = model.decode(memory, model.pbOf(inner, theirs));
                    total += meanKl(mine, other).getFloat();
                }
            }
        }
        return total;
    }

    /** The network's own parameters out of a {@link Result}'s weights (without normalisation and retrieval). */
    public static ParameterSet modelWeights(ParameterSet weights) {
        Map<String, NamedArray> m = new LinkedHashMap<>();
        weights.asMap().forEach((k, v) -> {
            if (!k.startsWith("norm.") && !k.startsWith("retrieval.")) {
                m.put(k, v);
            }
        });
        return new ParameterSet(m);
    }
}
