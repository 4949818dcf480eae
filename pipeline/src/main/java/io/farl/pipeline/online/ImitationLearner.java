package io.farl.pipeline.online;

import io.farl.model.api.DiscriminatorConfig;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.StepRecord;
import io.farl.model.api.TransitionData;
import io.farl.model.djl.DiscriminatorTrainer;
import io.farl.model.jvm.JvmDiscriminator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adversarial imitation as a session learner: GAIL, or GAILFE when the config uses failures. The wrapped PPO learner
 * (from the pretrained task policy) never sees the task's reward; each batch of executed steps is held back until
 * it is complete, the discriminator takes its iteration on that batch against the expert demonstrations (and, for
 * GAILFE, the replay buffer of failed trajectories), and only then does the batch go to PPO, rewarded with −log D of
 * the updated discriminator (the order of the source's algorithm: discriminator step, then policy step).
 *
 * <p><b>Terminal states.</b> An episode that reaches the goal ends there, so a reward that is positive on every step
 * would teach the policy to avoid the goal. The goal state is therefore treated as absorbing and expert-like: its
 * final step also earns γ/(1 − γ) times the mean reward D gives the expert's pairs, the return of staying in an
 * expert state forever. An IR failure ends the episode with nothing after it. This follows DAC's absorbing states
 * (Kostrikov et al., 2019), not the GAILFE source, which does not discuss termination.
 *
 * <p><b>Failures.</b> The replay buffer starts with the failure demonstrations of the training data and takes every
 * episode of the run that ends in an IR failure, keeping the newest {@link DiscriminatorConfig#failureTrajectories}.
 *
 * <p><b>Checkpoints.</b> Its state (PPO's, the discriminator's with its optimiser, λ_F and generator, the steps
 * waiting for the next batch, the episode in progress, the failure buffer and the iterations so far) goes into a
 * session checkpoint, so a resumed run continues where it stopped.
 *
 * <p><b>Threads.</b> {@link #offer} may come from one thread (a deployment's recorder) while {@link #update},
 * {@link #saveState} and the figures run on another (its learner thread): offered steps only join the waiting batch
 * and the episode in progress, under this learner's lock, and an update takes its batch and the failure buffer under
 * the lock, then trains without it, so an offer never waits for a discriminator iteration. DJL work on the
 * {@link DjlThread}.
 */
public final class ImitationLearner implements Learner, io.farl.controller.session.Checkpointable {

    /**
     * One discriminator iteration's figures, for the run's report.
     *
     * @param steps               environment steps of the run when it ran
     * @param batch               policy pairs it trained on (PPO's next batch)
     * @param policyD             mean D on them over its steps
     * @param expertD             mean D on the expert pairs drawn beside them
     * @param failureD            mean D on the failed pairs drawn beside them; null for GAIL
     * @param failureLogD         E_F[log D]; null for GAIL
     * @param lambda              λ_F after the iteration (0 for GAIL)
     * @param meanReward          mean −log D the batch was rewarded with (before the absorbing goal's share)
     * @param expertReward        mean −log D of the expert pairs under the updated D
     * @param failureTrajectories failed trajectories in the buffer
     */
    public record Iteration(long steps, int batch, double policyD, double expertD, Double failureD,
            Double failureLogD, double lambda, double meanReward, double expertReward, int failureTrajectories) {
    }

    /** A trajectory's state–action pairs row by row. */
    record Trajectory(float[] observations, float[] actions, int length) {
    }

    private final Learner ppo;
    private final DiscriminatorConfig config;
    private final DiscriminatorTrainer trainer;
    private final DiscriminatorTrainer.Pairs expert;
    private final int batchSteps;
    private final double absorbingScale;
    private final Deque<Trajectory> failures = new ArrayDeque<>();
    private final List<StepRecord> waiting = new ArrayList<>();
    private final List<StepRecord> episode = new ArrayList<>();
    private final List<Iteration> iterations = new ArrayList<>();
    private long stepsSeen;
    private int agentFailures;
    private long rejected;

    /**
     * @param ppo        the policy learner (closed with this one)
     * @param data       demonstrations: expert episodes are imitated, failure episodes seed GAILFE's buffer
     * @param batchSteps PPO's batch: a discriminator iteration runs on each
     * @param discount   PPO's γ (for the absorbing goal state)
     */
    public ImitationLearner(Learner ppo, DiscriminatorConfig config, TransitionData data, int batchSteps,
            double discount) {
        if (data.observationSize() != config.observationSize() || data.actionSize() != config.actionSize()) {
            throw new IllegalArgumentException("the demonstrations have " + data.observationSize() + " + "
                    + data.actionSize() + " values per pair, the discriminator " + config.observationSize() + " + "
                    + config.actionSize());
        }
        TransitionData experts = data.selectSources(EpisodeSource.EXPERT);
        if (experts.size() == 0) {
            throw new IllegalArgumentException("adversarial imitation needs expert demonstrations, the data holds none");
        }
        TransitionData failed = data.selectSources(EpisodeSource.FAILURE);
        if (config.useFailures() && failed.episodeCount() == 0) {
            throw new IllegalArgumentException("GAILFE needs failure demonstrations to start its replay buffer, the "
                    + "data holds none");
        }
        this.ppo = ppo;
        this.config = config;
        this.batchSteps = batchSteps;
        this.absorbingScale = discount / (1 - discount);
        this.expert = new DiscriminatorTrainer.Pairs(experts.observations(), experts.actions(), experts.size());
        for (int e = 0; config.useFailures() && e < failed.episodeCount(); e++) {
            addFailure(slice(failed, e));
        }
        float[][] norm = DiscriminatorTrainer.normalisation(experts.observations(), config.observationSize());
        this.trainer = DjlThread.call(() -> new DiscriminatorTrainer(config, norm[0], norm[1]));
    }

    /**
     * GAIL ({@code failures} false) or GAILFE for a run of {@code spec}: PPO as {@link OnlineRun#learner} builds it,
     * the discriminator with the source's defaults, seeded by the run's seed.
     */
    public static ImitationLearner create(InitModels models, OnlineRun.Spec spec, TransitionData data,
            boolean failures) {
        return create(models, spec.ppo().config(spec.recoveryStorage(), spec.seed()), data, failures, spec.seed());
    }

    /** GAIL or GAILFE on PPO with {@code ppo}, the discriminator with the source's defaults seeded by {@code seed}. */
    public static ImitationLearner create(InitModels models, io.farl.model.api.PpoConfig ppo, TransitionData data,
            boolean failures, long seed) {
        DiscriminatorConfig config = DiscriminatorConfig.defaults(data.observationSize(), data.actionSize(), failures,
                seed);
        Learner learner = OnlineRun.learner(models, ppo);
        try {
            return new ImitationLearner(learner, config, data, ppo.batchSteps(), ppo.discount());
        } catch (RuntimeException e) {
            learner.close();
            throw e;
        }
    }

    private static Trajectory slice(TransitionData d, int episode) {
        int n = d.observationSize();
        int m = d.actionSize();
        int from = d.episodeStart(episode);
        int to = d.episodeEnd(episode);
        return new Trajectory(java.util.Arrays.copyOfRange(d.observations(), from * n, to * n),
                java.util.Arrays.copyOfRange(d.actions(), from * m, to * m), to - from);
    }

    private void addFailure(Trajectory t) {
        if (t.length() == 0) {
            return;
        }
        failures.addLast(t);
        while (failures.size() > config.failureTrajectories()) {
            failures.removeFirst();
        }
    }

    @Override
    public synchronized boolean offer(StepRecord step) {
        if (step.observation().length != config.observationSize()
                || step.executedAction().length != config.actionSize() || !finite(step.observation())
                || !finite(step.executedAction())) {
            rejected++;
            return false;
        }
        stepsSeen++;
        waiting.add(step);
        episode.add(step);
        if (step.done()) {
            if (episode.stream().anyMatch(StepRecord::irFailure)) {
                agentFailures++;
                if (config.useFailures()) {
                    addFailure(trajectory(episode));
                }
            }
            episode.clear();
        }
        return true;
    }

    /** Every value finite (offered steps are refused otherwise). */
    static boolean finite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private Trajectory trajectory(List<StepRecord> steps) {
        int n = config.observationSize();
        int m = config.actionSize();
        float[] o = new float[steps.size() * n];
        float[] a = new float[steps.size() * m];
        for (int i = 0; i < steps.size(); i++) {
            System.arraycopy(steps.get(i).observation(), 0, o, i * n, n);
            System.arraycopy(steps.get(i).executedAction(), 0, a, i * m, m);
        }
        return new Trajectory(o, a, steps.size());
    }

    @Override
    public LearnerUpdate update() {
        List<StepRecord> batch = null;
        DiscriminatorTrainer.Pairs failed = DiscriminatorTrainer.Pairs.empty();
        long seen;
        int buffered;
        synchronized (this) {
            if (waiting.size() >= batchSteps) {
                batch = new ArrayList<>(waiting.subList(0, batchSteps));
                waiting.subList(0, batchSteps).clear();
                failed = config.useFailures() ? failurePairs() : failed;
            }
            seen = stepsSeen;
            buffered = failures.size();
        }
        Iteration it = batch == null ? null : iterate(batch, failed, seen, buffered);
        LearnerUpdate u = ppo.update();
        if (it == null) {
            return u;
        }
        Map<String, Double> metrics = new LinkedHashMap<>(u.metrics());
        metrics.put("disc.policyD", it.policyD());
        metrics.put("disc.expertD", it.expertD());
        metrics.put("disc.meanReward", it.meanReward());
        if (config.useFailures()) {
            metrics.put("disc.failureD", it.failureD());
            metrics.put("disc.lambda", it.lambda());
        }
        return new LearnerUpdate(u.updated(), u.policyVersion(), u.samplesUsed(), u.samplesDropped(), u.queueDrops(),
                metrics);
    }

    /**
     * The discriminator's iteration on PPO's next batch (the oldest {@code batchSteps} waiting steps, taken off the
     * waiting list by the caller), then that batch relabelled and handed to PPO; later steps wait for the next
     * iteration.
     */
    private Iteration iterate(List<StepRecord> steps, DiscriminatorTrainer.Pairs failed, long seen, int buffered) {
        Trajectory batch = trajectory(steps);
        DiscriminatorTrainer.Pairs policy = new DiscriminatorTrainer.Pairs(batch.observations(), batch.actions(),
                batch.length());
        DiscriminatorTrainer.Step s = DjlThread.call(() -> trainer.update(policy, expert, failed));
        JvmDiscriminator d = new JvmDiscriminator(config, DjlThread.call(trainer::weights));
        double expertReward = meanExpertReward(d);
        double sum = 0;
        for (StepRecord r : steps) {
            double reward = d.reward(r.observation(), r.executedAction());
            sum += reward;
            if (r.terminated() && !r.irFailure()) {
                reward += absorbingScale * expertReward;
            }
            StepRecord relabelled = new StepRecord(r.observation(), r.executedAction(), r.proposedAction(),
                    r.proposalLogProb(), r.policyVersion(), reward, r.nextObservation(), r.terminated(),
                    r.truncated(), r.recoveryActed(), r.irFailure());
            if (!ppo.offer(relabelled)) {
                synchronized (this) {
                    rejected++;
                }
            }
        }
        boolean fe = config.useFailures();
        Iteration it = new Iteration(seen, steps.size(), s.policyD(), s.expertD(), fe ? s.failureD() : null,
                fe ? s.failureLogD() : null, s.lambda(), sum / steps.size(), expertReward, buffered);
        synchronized (this) {
            iterations.add(it);
        }
        return it;
    }

    /** Mean −log D over (up to) the first 4,096 expert pairs, a fixed sample. */
    private double meanExpertReward(JvmDiscriminator d) {
        int n = config.observationSize();
        int m = config.actionSize();
        int count = Math.min(expert.count(), 4096);
        int stride = Math.max(1, expert.count() / count);
        float[] o = new float[n];
        float[] a = new float[m];
        double sum = 0;
        for (int k = 0; k < count; k++) {
            int i = k * stride;
            System.arraycopy(expert.observations(), i * n, o, 0, n);
            System.arraycopy(expert.actions(), i * m, a, 0, m);
            sum += d.reward(o, a);
        }
        return sum / count;
    }

    private DiscriminatorTrainer.Pairs failurePairs() {
        int total = 0;
        for (Trajectory t : failures) {
            total += t.length();
        }
        int n = config.observationSize();
        int m = config.actionSize();
        float[] o = new float[total * n];
        float[] a = new float[total * m];
        int row = 0;
        for (Trajectory t : failures) {
            System.arraycopy(t.observations(), 0, o, row * n, t.length() * n);
            System.arraycopy(t.actions(), 0, a, row * m, t.length() * m);
            row += t.length();
        }
        return new DiscriminatorTrainer.Pairs(o, a, total);
    }

    /** The discriminator's iterations so far. */
    public synchronized List<Iteration> iterations() {
        return List.copyOf(iterations);
    }

    /** Episodes of this run that ended in an IR failure (each went to GAILFE's buffer). */
    public synchronized int agentFailures() {
        return agentFailures;
    }

    /** Steps refused: malformed here, or by PPO. */
    public synchronized long rejected() {
        return rejected;
    }

    public DiscriminatorConfig config() {
        return config;
    }

    @Override
    public void saveState(java.nio.file.Path dir) throws java.io.IOException {
        if (!(ppo instanceof io.farl.controller.session.Checkpointable c)) {
            throw new IllegalStateException("the policy learner keeps no checkpoint state");
        }
        java.nio.file.Path p = java.nio.file.Files.createDirectory(dir.resolve("ppo"));
        c.saveState(p);
        java.nio.file.Path d = java.nio.file.Files.createDirectory(dir.resolve("discriminator"));
        DjlThread.run(() -> {
            try {
                trainer.saveState(d);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        ImitationCheckpoint.State state;
        synchronized (this) {
            state = new ImitationCheckpoint.State(stepsSeen, agentFailures, rejected, List.copyOf(waiting),
                    List.copyOf(episode), List.copyOf(failures), List.copyOf(iterations));
        }
        ImitationCheckpoint.write(dir, state);
    }

    @Override
    public void restoreState(java.nio.file.Path dir) throws java.io.IOException {
        if (!(ppo instanceof io.farl.controller.session.Checkpointable c)) {
            throw new IllegalStateException("the policy learner keeps no checkpoint state");
        }
        c.restoreState(dir.resolve("ppo"));
        DjlThread.run(() -> {
            try {
                trainer.restoreState(dir.resolve("discriminator"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        ImitationCheckpoint.State st = ImitationCheckpoint.read(dir);
        synchronized (this) {
            restore(st);
        }
    }

    private void restore(ImitationCheckpoint.State st) {
        stepsSeen = st.stepsSeen();
        agentFailures = st.agentFailures();
        rejected = st.rejected();
        waiting.clear();
        waiting.addAll(st.waiting());
        episode.clear();
        episode.addAll(st.episode());
        failures.clear();
        failures.addAll(st.failures());
        iterations.clear();
        iterations.addAll(st.iterations());
    }

    @Override
    public Optional<PolicySnapshot> latestSnapshot() {
        return ppo.latestSnapshot();
    }

    @Override
    public void close() {
        try {
            ppo.close();
        } finally {
            DjlThread.run(trainer::close);
        }
    }
}
