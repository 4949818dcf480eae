package io.farl.pipeline.online;

import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.RewardModelConfig;
import io.farl.model.api.StepRecord;
import io.farl.model.djl.RewardTrainer;
import io.farl.model.jvm.JvmStateReward;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * TW-CRL's online loop as a session learner: PPO learns from the sparse reward plus a learned state reward r(s'), and
 * r is refitted to the agent's own successes and failures as they arrive, so that states the demonstrations never
 * showed (the object past the boundary but near the goal, say) get labelled by what actually happened there.
 *
 * <p>Each batch of executed steps is held back until it is complete. Then r is refitted ({@link RewardTrainer#refine},
 * from its current weights and with its normalisation kept) for {@link Settings#epochs} epochs on every state of
 * every episode of the run finished so far, labelled ±w(t) as offline, beside as many states drawn at random from the
 * offline training data (at least {@link Settings#minOfflineStates}), so the offline knowledge is kept while the
 * online states carry equal weight. Only then does the batch go to PPO, rewarded with 1 on the step that reaches the
 * goal plus r(s') of the refitted reward. The source trains TD3 off-policy and relabels its replay buffer; with
 * on-policy PPO only the batch about to be learned from needs the new reward.
 *
 * <p>An episode counts as successful when it ends at the goal without an IR failure and as failed when it has an IR
 * failure or ends by the time limit, as offline ({@link RewardTrainer#succeeded}).
 *
 * <p><b>Checkpoints.</b> Its state (PPO's, the current reward, the steps waiting for the next batch, the episode in
 * progress, the labelled online states and the refits so far) goes into a session checkpoint, so a resumed run
 * continues where it stopped.
 *
 * <p><b>Threads.</b> {@link #offer} may come from one thread while {@link #update} runs on another: offers only join
 * the waiting batch and the episode in progress under this learner's lock; an update takes its batch and the
 * labelled episodes under the lock, then trains without it. DJL work on the {@link DjlThread}.
 */
public final class RewardRelearner implements Learner, io.farl.controller.session.Checkpointable {

    /**
     * @param epochs           epochs of each refit
     * @param minOfflineStates offline states drawn beside the online ones at least
     */
    public record Settings(int epochs, int minOfflineStates) {
        public Settings {
            if (epochs <= 0 || minOfflineStates < 0) {
                throw new IllegalArgumentException("epochs must be > 0 and minOfflineStates >= 0, got " + epochs
                        + " and " + minOfflineStates);
            }
        }

        public static Settings defaults() {
            return new Settings(2, 4096);
        }
    }

    /**
     * One refit's figures.
     *
     * @param steps            environment steps of the run when it ran
     * @param onlineSuccesses  the run's successful episodes it trained on
     * @param onlineFailures   the run's failed episodes it trained on
     * @param onlineStates     their states
     * @param mse              the refit's final training loss
     * @param meanReward       mean r(s') the batch was rewarded with (without the sparse part)
     */
    public record Refit(long steps, int onlineSuccesses, int onlineFailures, int onlineStates, double mse,
            double meanReward) {
    }

    private static final String REWARD_DIR = "reward-model";

    private final Learner ppo;
    private final RewardModelConfig config;
    private final RewardTrainer.Labelled offline;
    private final Settings settings;
    private final int batchSteps;
    private final List<StepRecord> waiting = new ArrayList<>();
    private final List<StepRecord> episode = new ArrayList<>();
    private final FloatRows onlineStates;
    private final List<Refit> refits = new ArrayList<>();
    private JvmStateReward reward;
    private long stepsSeen;
    private int onlineSuccesses;
    private int onlineFailures;
    private long rejected;

    /**
     * @param ppo        the policy learner (closed with this one)
     * @param initial    the reward learned offline
     * @param config     its training configuration (sizes, time weighting, learning rate, seed)
     * @param offline    its labelled offline training states
     * @param batchSteps PPO's batch: a refit runs on each
     */
    public RewardRelearner(Learner ppo, JvmStateReward initial, RewardModelConfig config,
            RewardTrainer.Labelled offline, Settings settings, int batchSteps) {
        if (initial.observationSize() != config.observationSize()
                || offline.observationSize() != config.observationSize()) {
            throw new IllegalArgumentException("the reward reads " + initial.observationSize() + " values, its "
                    + "config " + config.observationSize() + " and the offline data " + offline.observationSize());
        }
        this.ppo = ppo;
        this.reward = initial;
        this.config = config;
        this.offline = offline;
        this.settings = settings;
        this.batchSteps = batchSteps;
        this.onlineStates = new FloatRows(config.observationSize());
    }

    /**
     * The online loop for a learned reward stored at {@code rewardPath} ({@link
     * io.farl.pipeline.learn.RewardModels#read}) around {@code ppo}: the offline states are those of the episodes in
     * {@code data} that its training used (its held-out share left out as in training).
     */
    public static RewardRelearner of(Learner ppo, String rewardPath, java.nio.file.Path data, String task,
            Settings settings, int batchSteps) {
        JvmStateReward reward = io.farl.pipeline.learn.RewardModels.read(java.nio.file.Path.of(rewardPath));
        RewardModelConfig config = io.farl.model.jvm.ConfigProperties.get(reward.config(), "",
                RewardModelConfig.class, rewardPath);
        io.farl.model.api.TransitionData all = io.farl.pipeline.learn.TrainingData.transitions(
                io.farl.pipeline.learn.TrainingData.episodes(List.of(data), Optional.of(task)));
        if (all.observationSize() != config.observationSize()) {
            throw new io.farl.pipeline.PipelineInputException("the episodes in " + data + " have "
                    + all.observationSize() + " observation values, the reward at " + rewardPath + " reads "
                    + config.observationSize());
        }
        io.farl.model.api.TransitionData train = config.heldOutFraction() > 0
                ? all.splitEpisodes(config.heldOutFraction(), config.seed()).train() : all;
        RewardTrainer.Labelled offline = RewardTrainer.label(train, config);
        if (offline.successEpisodes() == 0 || offline.failedEpisodes() == 0) {
            throw new io.farl.pipeline.PipelineInputException("refitting the reward needs successful and failed "
                    + "episodes of " + task + " in " + data + "; found " + offline.successEpisodes() + " and "
                    + offline.failedEpisodes());
        }
        return new RewardRelearner(ppo, reward, config, offline, settings, batchSteps);
    }

    @Override
    public synchronized boolean offer(StepRecord step) {
        int n = config.observationSize();
        if (step.observation().length != n || !ImitationLearner.finite(step.observation())
                || !ImitationLearner.finite(step.nextObservation())) {
            rejected++;
            return false;
        }
        stepsSeen++;
        waiting.add(step);
        episode.add(step);
        if (step.done()) {
            label(episode);
            episode.clear();
        }
        return true;
    }

    /** The TW-CRL labels of a finished episode's states s_0 … s_T into the online set. */
    private void label(List<StepRecord> steps) {
        boolean failed = false;
        for (StepRecord s : steps) {
            failed |= s.irFailure();
        }
        StepRecord last = steps.get(steps.size() - 1);
        boolean success = !failed && last.terminated();
        if (success) {
            onlineSuccesses++;
        } else {
            onlineFailures++;
        }
        int length = steps.size() + 1;
        for (int t = 0; t < length; t++) {
            float[] state = t < steps.size() ? steps.get(t).observation() : last.nextObservation();
            double w = config.weight(t, length);
            onlineStates.add(state, (float) (success ? w : -w));
        }
    }

    @Override
    public LearnerUpdate update() {
        List<StepRecord> batch = null;
        RewardTrainer.Labelled online = null;
        long seen;
        int wins;
        int losses;
        int iteration;
        synchronized (this) {
            iteration = refits.size();
            if (waiting.size() >= batchSteps) {
                batch = new ArrayList<>(waiting.subList(0, batchSteps));
                waiting.subList(0, batchSteps).clear();
                online = onlineStates.snapshot(onlineSuccesses, onlineFailures);
            }
            seen = stepsSeen;
            wins = onlineSuccesses;
            losses = onlineFailures;
        }
        Refit refit = batch == null ? null : refitAndHandOver(batch, online, seen, wins, losses, iteration);
        LearnerUpdate u = ppo.update();
        if (refit == null) {
            return u;
        }
        Map<String, Double> metrics = new LinkedHashMap<>(u.metrics());
        metrics.put("reward.refitMse", refit.mse());
        metrics.put("reward.meanLearned", refit.meanReward());
        metrics.put("reward.onlineEpisodes", (double) (refit.onlineSuccesses() + refit.onlineFailures()));
        return new LearnerUpdate(u.updated(), u.policyVersion(), u.samplesUsed(), u.samplesDropped(), u.queueDrops(),
                metrics);
    }

    private Refit refitAndHandOver(List<StepRecord> steps, RewardTrainer.Labelled online, long seen, int wins,
            int losses, int iteration) {
        double mse = Double.NaN;
        JvmStateReward scorer;
        synchronized (this) {
            scorer = reward.copy();
        }
        if (online.size() > 0) {
            RewardTrainer.Labelled mix = mix(online, iteration);
            JvmStateReward current = scorer;
            RewardTrainer.Result r = DjlThread.call(() -> RewardTrainer.refine(current.weights(), mix, config,
                    settings.epochs(), config.seed() * 1_000_003L + iteration));
            List<Map<String, Double>> curve = r.report().epochMetrics();
            mse = curve.isEmpty() ? Double.NaN : curve.get(curve.size() - 1).getOrDefault("mse", Double.NaN);
            scorer = r.model(current.config());
            synchronized (this) {
                reward = scorer.copy();
            }
        }
        float[] buffer = new float[config.observationSize()];
        double sum = 0;
        for (StepRecord s : steps) {
            System.arraycopy(s.nextObservation(), 0, buffer, 0, buffer.length);
            double learned = scorer.reward(buffer);
            sum += learned;
            boolean goal = s.terminated() && !s.irFailure();
            StepRecord relabelled = new StepRecord(s.observation(), s.executedAction(), s.proposedAction(),
                    s.proposalLogProb(), s.policyVersion(), (goal ? 1 : 0) + learned, s.nextObservation(),
                    s.terminated(), s.truncated(), s.recoveryActed(), s.irFailure());
            if (!ppo.offer(relabelled)) {
                synchronized (this) {
                    rejected++;
                }
            }
        }
        Refit refit = new Refit(seen, wins, losses, online.size(), mse, sum / steps.size());
        synchronized (this) {
            refits.add(refit);
        }
        return refit;
    }

    /** Every online state beside as many offline ones (at least the settings' minimum) drawn without replacement. */
    private RewardTrainer.Labelled mix(RewardTrainer.Labelled online, int iteration) {
        int n = config.observationSize();
        int draw = Math.min(offline.size(), Math.max(online.size(), settings.minOfflineStates()));
        int[] pick = new Random(config.seed() * 31 + iteration).ints(0, offline.size()).distinct().limit(draw)
                .toArray();
        int rows = online.size() + pick.length;
        float[] obs = new float[rows * n];
        float[] y = new float[rows];
        System.arraycopy(online.observations(), 0, obs, 0, online.size() * n);
        System.arraycopy(online.labels(), 0, y, 0, online.size());
        for (int k = 0; k < pick.length; k++) {
            System.arraycopy(offline.observations(), pick[k] * n, obs, (online.size() + k) * n, n);
            y[online.size() + k] = offline.labels()[pick[k]];
        }
        return new RewardTrainer.Labelled(obs, y, n, online.successEpisodes() + offline.successEpisodes(),
                online.failedEpisodes() + offline.failedEpisodes());
    }

    /** The reward PPO's newest batch was rewarded with (a copy for the caller's thread). */
    public synchronized JvmStateReward reward() {
        return reward.copy();
    }

    /** The refits so far. */
    public synchronized List<Refit> refits() {
        return List.copyOf(refits);
    }

    /** Steps refused: malformed here, or by PPO. */
    public synchronized long rejected() {
        return rejected;
    }

    @Override
    public void saveState(java.nio.file.Path dir) throws java.io.IOException {
        if (!(ppo instanceof io.farl.controller.session.Checkpointable c)) {
            throw new IllegalStateException("the policy learner keeps no checkpoint state");
        }
        c.saveState(java.nio.file.Files.createDirectory(dir.resolve("ppo")));
        RewardRelearnerCheckpoint.State state;
        JvmStateReward current;
        synchronized (this) {
            current = reward;
            RewardTrainer.Labelled online = onlineStates.snapshot(onlineSuccesses, onlineFailures);
            state = new RewardRelearnerCheckpoint.State(stepsSeen, onlineSuccesses, onlineFailures, rejected,
                    List.copyOf(waiting), List.copyOf(episode), online.observations(), online.labels(),
                    List.copyOf(refits));
        }
        java.util.Properties cfg = current.config();
        io.farl.model.jvm.ConfigProperties.put(cfg, "", config);
        io.farl.model.jvm.ModelDirectory.write(dir.resolve(REWARD_DIR), io.farl.model.jvm.ModelDirectory
                .REWARD_MODEL_KIND, current.weights(), cfg, Map.of());
        RewardRelearnerCheckpoint.write(dir, state);
    }

    @Override
    public void restoreState(java.nio.file.Path dir) throws java.io.IOException {
        if (!(ppo instanceof io.farl.controller.session.Checkpointable c)) {
            throw new IllegalStateException("the policy learner keeps no checkpoint state");
        }
        c.restoreState(dir.resolve("ppo"));
        java.nio.file.Path version = io.farl.model.jvm.ModelDirectory.latest(dir.resolve(REWARD_DIR))
                .orElseThrow(() -> new java.io.IOException("no reward stored in " + dir.resolve(REWARD_DIR)));
        JvmStateReward restored = JvmStateReward.read(version);
        RewardRelearnerCheckpoint.State st = RewardRelearnerCheckpoint.read(dir);
        synchronized (this) {
            reward = restored;
            stepsSeen = st.stepsSeen();
            onlineSuccesses = st.onlineSuccesses();
            onlineFailures = st.onlineFailures();
            rejected = st.rejected();
            waiting.clear();
            waiting.addAll(st.waiting());
            episode.clear();
            episode.addAll(st.episode());
            onlineStates.reset(st.onlineStates(), st.onlineLabels());
            refits.clear();
            refits.addAll(st.refits());
        }
    }

    @Override
    public Optional<PolicySnapshot> latestSnapshot() {
        return ppo.latestSnapshot();
    }

    @Override
    public void close() {
        ppo.close();
    }

    /** Growing rows of floats with a label each. */
    private static final class FloatRows {
        private final int width;
        private float[] rows = new float[0];
        private float[] labels = new float[0];
        private int size;

        FloatRows(int width) {
            this.width = width;
        }

        void add(float[] row, float label) {
            if (size == labels.length) {
                int capacity = Math.max(1024, labels.length * 2);
                rows = java.util.Arrays.copyOf(rows, capacity * width);
                labels = java.util.Arrays.copyOf(labels, capacity);
            }
            System.arraycopy(row, 0, rows, size * width, width);
            labels[size++] = label;
        }

        void reset(float[] newRows, float[] newLabels) {
            if (newRows.length != newLabels.length * width) {
                throw new IllegalArgumentException("a checkpoint's online states hold " + newRows.length
                        + " values for " + newLabels.length + " labels of width " + width);
            }
            rows = newRows.clone();
            labels = newLabels.clone();
            size = newLabels.length;
        }

        RewardTrainer.Labelled snapshot(int successes, int failures) {
            return new RewardTrainer.Labelled(java.util.Arrays.copyOf(rows, size * width),
                    java.util.Arrays.copyOf(labels, size), width, successes, failures);
        }
    }
}
