package io.farl.model.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Recorded transitions of whole episodes as flat float arrays: the training input of every offline learner.
 * Built by the caller (who reads the dataset files) with {@link #builder(int, int)}; immutable afterwards.
 * Transition {@code i} is (s_i, a_i, r_i, C_i, s'_i, terminal_i); transitions of an episode are contiguous and
 * in time order. Arrays returned by accessors are the internal ones: treat them as read-only.
 */
public final class TransitionData {
    private final int observationSize;
    private final int actionSize;
    private final float[] observations;
    private final float[] actions;
    private final float[] rewards;
    private final boolean[] failures;
    private final float[] nextObservations;
    private final boolean[] terminals;
    private final int[] episodeIds;
    private final int[] steps;
    private final EpisodeSource[] episodeSources;
    private final int[] episodeStarts;

    private TransitionData(TransitionData d, float[] rewards) {
        observationSize = d.observationSize;
        actionSize = d.actionSize;
        observations = d.observations;
        actions = d.actions;
        this.rewards = rewards;
        failures = d.failures;
        nextObservations = d.nextObservations;
        terminals = d.terminals;
        episodeIds = d.episodeIds;
        steps = d.steps;
        episodeSources = d.episodeSources;
        episodeStarts = d.episodeStarts;
    }

    private TransitionData(Builder b) {
        observationSize = b.observationSize;
        actionSize = b.actionSize;
        int n = b.count;
        observations = Arrays.copyOf(b.obs, n * observationSize);
        actions = Arrays.copyOf(b.act, n * actionSize);
        rewards = Arrays.copyOf(b.rew, n);
        failures = Arrays.copyOf(b.fail, n);
        nextObservations = Arrays.copyOf(b.next, n * observationSize);
        terminals = Arrays.copyOf(b.term, n);
        episodeIds = Arrays.copyOf(b.epi, n);
        steps = Arrays.copyOf(b.step, n);
        episodeSources = b.sources.toArray(new EpisodeSource[0]);
        episodeStarts = new int[episodeSources.length + 1];
        for (int e = 0; e < b.starts.size(); e++) {
            episodeStarts[e] = b.starts.get(e);
        }
        episodeStarts[episodeSources.length] = n;
    }

    public static Builder builder(int observationSize, int actionSize) {
        return new Builder(observationSize, actionSize);
    }

    public int size() { return rewards.length; }
    public int observationSize() { return observationSize; }
    public int actionSize() { return actionSize; }
    public int episodeCount() { return episodeSources.length; }

    /** Row-major [size][observationSize]. */
    public float[] observations() { return observations; }
    /** Row-major [size][actionSize], each in [-1, 1]. */
    public float[] actions() { return actions; }
    public float[] rewards() { return rewards; }
    /** C(s_i, a_i): the step was an IR failure. */
    public boolean[] failures() { return failures; }
    /** Row-major [size][observationSize]. */
    public float[] nextObservations() { return nextObservations; }
    /** The episode ended in a terminal state after transition i (no bootstrapping). */
    public boolean[] terminals() { return terminals; }
    /** Episode index (0..episodeCount-1) of each transition. */
    public int[] episodeIds() { return episodeIds; }
    /** Step index within its episode. */
    public int[] steps() { return steps; }

    public EpisodeSource episodeSource(int episode) { return episodeSources[episode]; }
    public EpisodeSource source(int transition) { return episodeSources[episodeIds[transition]]; }
    public int episodeStart(int episode) { return episodeStarts[episode]; }
    public int episodeEnd(int episode) { return episodeStarts[episode + 1]; }

    /** Whether transition {@code i + 1} continues the episode of transition {@code i}. */
    public boolean hasSuccessor(int i) {
        return i + 1 < size() && episodeIds[i + 1] == episodeIds[i] && !terminals[i];
    }

    public int failureCount() {
        int c = 0;
        for (boolean f : failures) {
            if (f) {
                c++;
            }
        }
        return c;
    }

    /** The same transitions with other rewards (one finite value per transition). */
    public TransitionData withRewards(float[] newRewards) {
        if (newRewards.length != size()) {
            throw new IllegalArgumentException("need " + size() + " rewards, got " + newRewards.length);
        }
        for (int i = 0; i < newRewards.length; i++) {
            if (!Float.isFinite(newRewards[i])) {
                throw new IllegalArgumentException("non-finite reward at transition " + i);
            }
        }
        return new TransitionData(this, newRewards.clone());
    }

    /**
     * The recovery policy's objective as a reward: {@code +1} on the step that ends an episode in a safe state (a
     * terminal step without an IR failure: recovery episodes end when the safe state is reached and held), {@code -1}
     * on an IR failure, and {@code -stepCost} on every step, so a faster safe recovery scores higher. Recovery
     * demonstrations record the task's reward, which says nothing about recovering; offline improvement of the
     * recovery policy uses this one instead.
     */
    public float[] recoveryRewards(double stepCost) {
        if (!(stepCost >= 0 && stepCost < 1)) {
            throw new IllegalArgumentException("stepCost must be in [0, 1), got " + stepCost);
        }
        float[] r = new float[size()];
        for (int i = 0; i < r.length; i++) {
            double v = -stepCost;
            if (failures[i]) {
                v -= 1;
            } else if (terminals[i]) {
                v += 1;
            }
            r[i] = (float) v;
        }
        return r;
    }

    /** Discounted Monte-Carlo returns-to-go within each episode (nothing is bootstrapped past its end). */
    public float[] returnsToGo(double discount) {
        float[] g = new float[size()];
        for (int e = 0; e < episodeCount(); e++) {
            double acc = 0;
            for (int i = episodeEnd(e) - 1; i >= episodeStart(e); i--) {
                acc = rewards[i] + discount * acc;
                g[i] = (float) acc;
            }
        }
        return g;
    }

    /**
     * Discounted failure-to-go within each episode: {@code Σ_k discount^k C_{i+k}} over the rest of the episode,
     * capped at 1 (an IR failure ends an episode, so there is at most one C = 1 and the value is
     * {@code discount^(steps to the failure)}, or 0 when the episode does not fail). The constraint head's target:
     * it sees a failure before the step on which it happens.
     */
    public float[] failureToGo(double discount) {
        if (!(discount >= 0 && discount <= 1)) {
            throw new IllegalArgumentException("discount must be in [0, 1], got " + discount);
        }
        float[] g = new float[size()];
        for (int e = 0; e < episodeCount(); e++) {
            double acc = 0;
            for (int i = episodeEnd(e) - 1; i >= episodeStart(e); i--) {
                acc = (failures[i] ? 1 : 0) + discount * acc;
                g[i] = (float) Math.min(1.0, acc);
            }
        }
        return g;
    }

    /** The episodes accepted by {@code keep}, renumbered from 0 in order. */
    public TransitionData selectEpisodes(IntPredicate keep) {
        Builder b = builder(observationSize, actionSize);
        for (int e = 0; e < episodeCount(); e++) {
            if (keep.test(e)) {
                b.copyEpisode(this, e);
            }
        }
        return b.build();
    }

    /** The episodes whose source is one of {@code kinds}. */
    public TransitionData selectSources(EpisodeSource... kinds) {
        List<EpisodeSource> k = Arrays.asList(kinds);
        return selectEpisodes(e -> k.contains(episodeSources[e]));
    }

    /**
     * A seeded split by whole episodes, stratified by source kind, so both parts see every kind (failure
     * demonstrations included) that has two episodes or more. Each kind holds out a random
     * {@code round(size × heldOutFraction)} of its episodes, at least one and at most all but one when it has two
     * or more; a kind with a single episode keeps it in the train part unless nothing would be held out
     * otherwise. The total is then brought within one episode of {@code round(episodes × heldOutFraction)} where
     * those bounds allow, never holding out every episode, and holding out at least one for a positive fraction
     * and two episodes or more.
     */
    public Split splitEpisodes(double heldOutFraction, long seed) {
        if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("heldOutFraction must be in [0, 1), got " + heldOutFraction);
        }
        int episodes = episodeCount();
        Random rnd = new Random(seed);
        List<List<Integer>> strata = new ArrayList<>();
        for (EpisodeSource kind : EpisodeSource.values()) {
            List<Integer> ids = new ArrayList<>();
            for (int e = 0; e < episodes; e++) {
                if (episodeSources[e] == kind) {
                    ids.add(e);
                }
            }
            java.util.Collections.shuffle(ids, rnd);
            if (!ids.isEmpty()) {
                strata.add(ids);
            }
        }
        int target = (int) Math.round(episodes * heldOutFraction);
        int lower = Math.max(target - 1, heldOutFraction > 0 && episodes >= 2 ? 1 : 0);
        int upper = Math.min(target + 1, Math.max(0, episodes - 1));
        int m = strata.size();
        int[] k = new int[m];
        int[] lo = new int[m];
        int[] hi = new int[m];
        int held = 0;
        for (int s = 0; s < m; s++) {
            int n = strata.get(s).size();
            lo[s] = heldOutFraction > 0 && n >= 2 ? 1 : 0;
            hi[s] = n >= 2 ? n - 1 : n;
            k[s] = n >= 2 ? Math.max(lo[s], Math.min(hi[s], (int) Math.round(n * heldOutFraction))) : 0;
            held += k[s];
        }
        while (held < lower) {
            // the kind furthest below its share; a single-episode one only when no other can give one more
            int best = -1;
            for (int s = 0; s < m; s++) {
                if (k[s] < hi[s] && (best < 0 || rank(strata, k, s, heldOutFraction)
                        < rank(strata, k, best, heldOutFraction))) {
                    best = s;
                }
            }
            if (best < 0) {
                break;
            }
            k[best]++;
            held++;
        }
        while (held > upper) {
            // a held-out single episode goes back first, then the kind furthest above its share
            int best = -1;
            for (int s = 0; s < m; s++) {
                if (k[s] > lo[s] && (best < 0 || rank(strata, k, s, heldOutFraction)
                        > rank(strata, k, best, heldOutFraction))) {
                    best = s;
                }
            }
            if (best < 0) {
                break;
            }
            k[best]--;
            held--;
        }
        boolean[] out = new boolean[episodes];
        for (int s = 0; s < m; s++) {
            List<Integer> ids = strata.get(s);
            for (int j = 0; j < k[s]; j++) {
                out[ids.get(j)] = true;
            }
        }
        return new Split(selectEpisodes(e -> !out[e]), selectEpisodes(e -> out[e]));
    }

    /**
     * Held-out episodes of kind {@code s} beyond its exact share, raised past every multi-episode kind for a
     * single-episode one: the last to hold out (smallest rank first) and the first to give back (largest first).
     */
    private static double rank(List<List<Integer>> strata, int[] k, int s, double fraction) {
        int n = strata.get(s).size();
        double excess = k[s] - n * fraction;
        return n >= 2 ? excess : excess + 1e9;
    }

    /** Train and held-out parts of a split. */
    public record Split(TransitionData train, TransitionData heldOut) {
    }

    /** Accumulates episodes. Not thread-safe. */
    public static final class Builder {
        private final int observationSize;
        private final int actionSize;
        private int count;
        private float[] obs = new float[0];
        private float[] act = new float[0];
        private float[] rew = new float[0];
        private boolean[] fail = new boolean[0];
        private float[] next = new float[0];
        private boolean[] term = new boolean[0];
        private int[] epi = new int[0];
        private int[] step = new int[0];
        private final List<EpisodeSource> sources = new ArrayList<>();
        private final List<Integer> starts = new ArrayList<>();

        private Builder(int observationSize, int actionSize) {
            this.observationSize = Checks.positive("observationSize", observationSize);
            this.actionSize = Checks.positive("actionSize", actionSize);
        }

        /**
         * Adds one episode.
         *
         * @param source       where it came from
         * @param observations T + 1 rows: s_0 .. s_T (the last is the state after the final action)
         * @param actions      T rows, values in [-1, 1]
         * @param rewards      T rewards
         * @param failures     T flags C(s_t, a_t)
         * @param terminated   the episode ended in a terminal state (success or failure) rather than a time limit
         */
        public Builder addEpisode(EpisodeSource source, float[][] observations, float[][] actions, float[] rewards,
                boolean[] failures, boolean terminated) {
            Checks.notNull("source", source);
            int t = actions.length;
            if (t == 0) {
                throw new IllegalArgumentException("an episode needs at least one transition");
            }
            if (observations.length != t + 1 || rewards.length != t || failures.length != t) {
                throw new IllegalArgumentException("episode needs T+1 observations and T actions/rewards/failures; got "
                        + observations.length + "/" + t + "/" + rewards.length + "/" + failures.length);
            }
            grow(t);
            int episode = sources.size();
            sources.add(source);
            starts.add(count);
            for (int i = 0; i < t; i++) {
                int row = count + i;
                put(obs, row, observations[i], observationSize, "observation");
                put(next, row, observations[i + 1], observationSize, "observation");
                put(act, row, actions[i], actionSize, "action");
                for (int j = 0; j < actionSize; j++) {
                    float a = actions[i][j];
                    if (!(a >= -1 && a <= 1)) {
                        throw new IllegalArgumentException("action outside [-1, 1] at step " + i + ": " + a);
                    }
                }
                if (!Float.isFinite(rewards[i])) {
                    throw new IllegalArgumentException("non-finite reward at step " + i);
                }
                rew[row] = rewards[i];
                fail[row] = failures[i];
                term[row] = terminated && i == t - 1;
                epi[row] = episode;
                step[row] = i;
            }
            count += t;
            return this;
        }

        void copyEpisode(TransitionData d, int e) {
            int s = d.episodeStart(e);
            int t = d.episodeEnd(e) - s;
            grow(t);
            sources.add(d.episodeSource(e));
            starts.add(count);
            System.arraycopy(d.observations, s * observationSize, obs, count * observationSize, t * observationSize);
            System.arraycopy(d.nextObservations, s * observationSize, next, count * observationSize,
                    t * observationSize);
            System.arraycopy(d.actions, s * actionSize, act, count * actionSize, t * actionSize);
            System.arraycopy(d.rewards, s, rew, count, t);
            System.arraycopy(d.failures, s, fail, count, t);
            System.arraycopy(d.terminals, s, term, count, t);
            System.arraycopy(d.steps, s, step, count, t);
            Arrays.fill(epi, count, count + t, sources.size() - 1);
            count += t;
        }

        private void put(float[] dst, int row, float[] src, int width, String what) {
            if (src.length != width) {
                throw new IllegalArgumentException(what + " has length " + src.length + ", expected " + width);
            }
            for (float v : src) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("non-finite " + what + " value");
                }
            }
            System.arraycopy(src, 0, dst, row * width, width);
        }

        private void grow(int t) {
            int need = count + t;
            if (need <= rew.length) {
                return;
            }
            int cap = Math.max(need, rew.length * 2);
            obs = Arrays.copyOf(obs, cap * observationSize);
            next = Arrays.copyOf(next, cap * observationSize);
            act = Arrays.copyOf(act, cap * actionSize);
            rew = Arrays.copyOf(rew, cap);
            fail = Arrays.copyOf(fail, cap);
            term = Arrays.copyOf(term, cap);
            epi = Arrays.copyOf(epi, cap);
            step = Arrays.copyOf(step, cap);
        }

        public TransitionData build() {
            return new TransitionData(this);
        }
    }
}
