package io.farl.model.djl;

import io.farl.model.jvm.ModelDirectory;
import io.farl.model.jvm.ModelFormatException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.PpoConfig;
import io.farl.model.api.RecoveryStorage;
import io.farl.model.api.StepRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Online PPO on executed (safety-filtered) steps: GAE, clipped ratio, entropy bonus, value network initialised
 * from the offline phase, running observation normalisation. {@link #offer} may be called from any thread and
 * never blocks; {@link #update} runs on the learner thread (which owns the native model); snapshots are published
 * through an atomic reference for the actor.
 *
 * <p><b>Frozen normalisation.</b> An update computes values, behaviour log-probabilities and advantages, and runs
 * all its epochs, with the observation normalisation of the snapshot that acted, so the PPO ratio is exactly 1
 * before the first gradient step; the batch is folded into the running statistics only after the update, and the
 * next snapshot carries them.
 *
 * <p><b>Overridden steps</b> (recovery or hold acted, {@link StepRecord#recoveryActed()}) per
 * {@link PpoConfig#recoveryStorage()}: {@link RecoveryStorage#MASKED} (default) leaves them out of the policy
 * loss, entropy bonus and KL/clip statistics; {@link RecoveryStorage#PENALISED_PROPOSAL} trains on the task
 * proposal with its recorded log-probability and the reward lowered by {@link PpoConfig#overridePenalty()};
 * {@link RecoveryStorage#PROPOSED_ACTION} trains on the proposal with the realised reward;
 * {@link RecoveryStorage#EXECUTED_ACTION} trains on the executed action with its log-probability recomputed before
 * the update. Every option keeps them in the value loss and GAE; advantages are standardised over the samples in
 * the policy loss only.
 */
public final class PpoLearner implements Learner {
    private final PpoConfig cfg;
    private final GaussianPolicyModel model;
    private final Adam adam;
    private final ArrayBlockingQueue<StepRecord> queue;
    private final List<StepRecord> pending = new ArrayList<>();
    private final AtomicLong drops = new AtomicLong();
    private final AtomicReference<PolicySnapshot> latest = new AtomicReference<>();
    private Random rnd;
    private final RunningNormaliser normaliser;
    private long version;

    /** Starts from a copy of {@code initial} (actor, critic and normalisation); the input is not modified. */
    public PpoLearner(NDManager parent, GaussianPolicyModel initial, PpoConfig cfg, long initialVersion) {
        this.cfg = cfg;
        this.model = GaussianPolicyModel.fromParameters(parent, initial.config(), initial.export());
        NdParameters p = model.parameters();
        this.adam = new Adam(p.manager(), cfg.maxGradNorm())
                .add(p.startingWith("pi.", "log_std"), 1.0)
                .add(p.startingWith("v."), cfg.criticLearningRate() / cfg.actorLearningRate());
        this.queue = new ArrayBlockingQueue<>(cfg.queueCapacity());
        this.rnd = new Random(cfg.seed());
        this.version = initialVersion;
        this.normaliser = new RunningNormaliser(p.get("norm.mean").toFloatArray(), p.get("norm.std").toFloatArray(),
                10_000);
        latest.set(model.snapshot(version));
    }

    @Override
    public boolean offer(StepRecord step) {
        int n = model.config().observationSize();
        if (step.observation().length != n || step.executedAction().length != model.config().actionSize()) {
            return false;
        }
        for (float v : step.observation()) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        while (!queue.offer(step)) {
            if (queue.poll() != null) {
                drops.incrementAndGet();
            }
        }
        return true;
    }

    @Override
    public Optional<PolicySnapshot> latestSnapshot() {
        return Optional.ofNullable(latest.get());
    }

    public long queueDrops() {
        return drops.get();
    }

    @Override
    public LearnerUpdate update() {
        queue.drainTo(pending);
        if (pending.size() < cfg.batchSteps()) {
            return new LearnerUpdate(false, version, 0, 0, drops.get(), Map.of("pendingSteps", (double) pending.size()));
        }
        List<StepRecord> batch = new ArrayList<>(pending.subList(0, cfg.batchSteps()));
        pending.subList(0, cfg.batchSteps()).clear();
        Map<String, Double> metrics = new LinkedHashMap<>();
        int dropped = train(batch, metrics);
        version++;
        latest.set(model.snapshot(version));
        return new LearnerUpdate(true, version, batch.size(), dropped, drops.get(), metrics);
    }

    /**
     * One batch ready for the PPO epochs, everything computed with the normalisation the acting snapshot used.
     *
     * @param normObs    normalised observations, row-major [n][obs]
     * @param act        the action each sample trains on, row-major [n][act]
     * @param oldLogp    behaviour log-density of that action
     * @param mask       1: the sample is in the policy loss (and the entropy, KL and clip statistics); 0: value only
     * @param rewards    the rewards GAE used (after any override penalty)
     * @param values     V(s) before the update
     * @param nextValues V(s') before the update
     * @param advantages standardised over the samples with mask 1; 0 where the mask is 0
     * @param returns    GAE returns (advantage before standardisation + V(s)), the value targets
     * @param dropped    samples with mask 0
     */
    record Batch(float[] normObs, float[] act, float[] oldLogp, float[] mask, double[] rewards, float[] values,
            float[] nextValues, float[] advantages, float[] returns, int dropped) {
    }

    /** Builds the training batch of {@code steps} with the model's current (frozen) normalisation. */
    Batch prepare(List<StepRecord> steps) {
        int n = steps.size();
        int obsN = model.config().observationSize();
        int actN = model.config().actionSize();
        RecoveryStorage storage = cfg.recoveryStorage();
        float[] obs = new float[n * obsN];
        float[] next = new float[n * obsN];
        float[] act = new float[n * actN];
        float[] oldLogp = new float[n];
        float[] mask = new float[n];
        double[] rewards = new double[n];
        boolean[] terminated = new boolean[n];
        boolean[] continues = new boolean[n];
        for (int i = 0; i < n; i++) {
            StepRecord s = steps.get(i);
            boolean overridden = s.recoveryActed();
            System.arraycopy(s.observation(), 0, obs, i * obsN, obsN);
            System.arraycopy(s.nextObservation(), 0, next, i * obsN, obsN);
            boolean useExecuted = overridden && storage == RecoveryStorage.EXECUTED_ACTION;
            System.arraycopy(useExecuted ? s.executedAction() : s.proposedAction(), 0, act, i * actN, actN);
            oldLogp[i] = (float) s.proposalLogProb();
            mask[i] = 1f;
            rewards[i] = s.reward();
            if (overridden && storage == RecoveryStorage.MASKED) {
                // π_task did not choose the executed action: value and GAE only
                mask[i] = 0f;
            }
            if (overridden && storage == RecoveryStorage.PENALISED_PROPOSAL) {
                rewards[i] -= cfg.overridePenalty();
            }
            terminated[i] = s.terminated();
            // the next record continues this trajectory only when it starts where this one ended (a step lost
            // on the way, e.g. to a full intake queue, cuts the λ-return there)
            continues[i] = i + 1 < n && !s.done()
                    && java.util.Arrays.equals(s.nextObservation(), steps.get(i + 1).observation());
        }
        float[] normMean = model.parameters().get("norm.mean").toFloatArray();
        float[] normStd = model.parameters().get("norm.std").toFloatArray();
        float[] normObs = WorldModelTrainer.normalise(obs, normMean, normStd);
        float[] normNext = WorldModelTrainer.normalise(next, normMean, normStd);
        float[] values;
        float[] nextValues;
        float[] currentLogp;
        try (NDManager sm = model.parameters().manager().newSubManager(); NDScope scope = new NDScope()) {
            NDArray o = sm.create(normObs, new Shape(n, obsN));
            values = model.value(o).toFloatArray();
            nextValues = model.value(sm.create(normNext, new Shape(n, obsN))).toFloatArray();
            currentLogp = model.logProb(o, sm.create(act, new Shape(n, actN))).toFloatArray();
        }
        for (int i = 0; i < n; i++) {
            StepRecord s = steps.get(i);
            if (s.recoveryActed() && storage == RecoveryStorage.EXECUTED_ACTION) {
                // the task policy did not choose this action: treat π_old(a_exec|s) as the behaviour density
                // (ratio starts at 1 and is clipped as usual), or drop it when the policy cannot explain it
                oldLogp[i] = currentLogp[i];
                if (currentLogp[i] < cfg.minExecutedLogProb()) {
                    mask[i] = 0f;
                }
            }
        }
        int dropped = 0;
        for (float m : mask) {
            dropped += m == 0f ? 1 : 0;
        }
        float[] adv = new float[n];
        float[] ret = new float[n];
        gae(rewards, values, nextValues, terminated, continues, cfg.discount(), cfg.gaeLambda(), adv, ret);
        standardise(adv, mask);
        return new Batch(normObs, act, oldLogp, mask, rewards, values, nextValues, adv, ret, dropped);
    }

    /**
     * Generalised advantage estimation over a batch of steps in time order. Step {@code i} bootstraps from
     * V(s'_i) unless it {@code terminated}; the λ-recursion carries from step {@code i + 1} only where
     * {@code continues[i]} (the next step of the batch is the next step of the same episode), so it never runs
     * across an episode boundary, and the batch's last step (cut at the boundary) bootstraps from V(s').
     *
     * @param adv out: A_i
     * @param ret out: A_i + V(s_i)
     */
    static void gae(double[] rewards, float[] values, float[] nextValues, boolean[] terminated, boolean[] continues,
            double gamma, double lambda, float[] adv, float[] ret) {
        int n = rewards.length;
        double carry = 0;
        for (int i = n - 1; i >= 0; i--) {
            double boot = terminated[i] ? 0 : nextValues[i];
            double delta = rewards[i] + gamma * boot - values[i];
            boolean chain = continues[i] && !terminated[i] && i + 1 < n;
            carry = delta + (chain ? gamma * lambda * carry : 0);
            adv[i] = (float) carry;
            ret[i] = (float) (carry + values[i]);
        }
    }

    /**
     * Standardises {@code adv} in place with the mean and standard deviation of the samples whose {@code mask} is
     * non-zero; masked samples are set to 0 (they are not in the policy loss).
     */
    static void standardise(float[] adv, float[] mask) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < adv.length; i++) {
            if (mask[i] != 0f) {
                sum += adv[i];
                count++;
            }
        }
        if (count == 0) {
            java.util.Arrays.fill(adv, 0f);
            return;
        }
        double m = sum / count;
        double sq = 0;
        for (int i = 0; i < adv.length; i++) {
            if (mask[i] != 0f) {
                sq += (adv[i] - m) * (adv[i] - m);
            }
        }
        double sd = Math.sqrt(sq / count) + 1e-8;
        for (int i = 0; i < adv.length; i++) {
            adv[i] = mask[i] != 0f ? (float) ((adv[i] - m) / sd) : 0f;
        }
    }

    /**
     * The per-sample PPO clipped surrogate min(r·A, clip(r, 1 − ε, 1 + ε)·A): its gradient in r vanishes where
     * the clipped term is the smaller one (A &gt; 0 with r &gt; 1 + ε, A &lt; 0 with r &lt; 1 − ε).
     */
    static NDArray clippedSurrogate(NDArray ratio, NDArray advantage, float eps) {
        return ratio.mul(advantage).minimum(ratio.clip(1 - eps, 1 + eps).mul(advantage));
    }

    private int train(List<StepRecord> records, Map<String, Double> metrics) {
        Batch batch = prepare(records);
        int n = records.size();
        int obsN = model.config().observationSize();
        int actN = model.config().actionSize();
        float[] normObs = batch.normObs();
        float[] act = batch.act();
        float[] oldLogp = batch.oldLogp();
        float[] mask = batch.mask();
        float[] adv = batch.advantages();
        float[] ret = batch.returns();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        double pl = 0;
        double vl = 0;
        double ent = 0;
        double kl = 0;
        double clipped = 0;
        double policySamples = 0;
        int steps = 0;
        int policySteps = 0;
        float eps = (float) cfg.clipRatio();
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            for (int start = 0; start + cfg.minibatchSize() <= n; start += cfg.minibatchSize()) {
                int[] idx = java.util.Arrays.copyOfRange(perm, start, start + cfg.minibatchSize());
                int b = idx.length;
                float[] mB = WorldModelTrainer.pick(mask, idx);
                float count = sum(mB);
                float denom = Math.max(1f, count);
                // the entropy bonus belongs to the policy loss: off in a minibatch without policy samples
                float entropyWeight = count > 0 ? (float) cfg.entropyCoefficient() : 0f;
                try (NDManager sm = model.parameters().manager().newSubManager(); NDScope scope = new NDScope()) {
                    NDArray o = sm.create(WorldModelTrainer.rows(normObs, idx, obsN), new Shape(b, obsN));
                    NDArray a = sm.create(WorldModelTrainer.rows(act, idx, actN), new Shape(b, actN));
                    NDArray oldLp = sm.create(WorldModelTrainer.pick(oldLogp, idx));
                    NDArray advB = sm.create(WorldModelTrainer.pick(adv, idx));
                    NDArray retB = sm.create(WorldModelTrainer.pick(ret, idx));
                    NDArray m = sm.create(mB);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logRatio = model.logProb(o, a).sub(oldLp).clip(-20f, 20f);
                        NDArray ratio = logRatio.exp();
                        NDArray policyLoss = NdArrays.div(clippedSurrogate(ratio, advB, eps).mul(m).sum(), denom).neg();
                        NDArray entropy = model.gaussianEntropy();
                        NDArray valueLoss = model.value(o).sub(retB).square().mean();
                        NDArray loss = policyLoss.sub(NdArrays.mul(entropy, entropyWeight)).add(NdArrays.mul(valueLoss, 0.5f));
                        gc.backward(loss);
                        vl += valueLoss.getFloat();
                        if (count > 0) {
                            pl += policyLoss.getFloat();
                            ent += entropy.getFloat();
                            policySteps++;
                        }
                        float klSum = ratio.sub(1f).sub(logRatio).mul(m).sum().getFloat();
                        float clipSum = ratio.sub(1f).abs().gt(eps)
                                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mul(m).sum().getFloat();
                        kl += klSum;
                        clipped += clipSum;
                        policySamples += count;
                        if (steps == 0) {
                            // before any gradient step the ratio is π_θ/π_behaviour with θ the acting snapshot's
                            metrics.put("firstMinibatchApproxKl", count > 0 ? (double) klSum / count : 0.0);
                            metrics.put("firstMinibatchClipFraction", count > 0 ? (double) clipSum / count : 0.0);
                            metrics.put("firstMinibatchMaxRatioDeviation",
                                    (double) ratio.sub(1f).abs().mul(m).max().getFloat());
                        }
                    }
                    adam.step(cfg.actorLearningRate());
                }
                steps++;
            }
        }
        if (cfg.normaliseObservations()) {
            // the batch reaches the running statistics only now, so the next snapshot acts with them
            foldIntoNormaliser(records);
        }
        metrics.put("policyLoss", policySteps > 0 ? pl / policySteps : 0.0);
        metrics.put("valueLoss", vl / steps);
        metrics.put("entropy", policySteps > 0 ? ent / policySteps : 0.0);
        metrics.put("approxKl", policySamples > 0 ? kl / policySamples : 0.0);
        metrics.put("clipFraction", policySamples > 0 ? clipped / policySamples : 0.0);
        metrics.put("droppedRecoverySteps", (double) batch.dropped());
        return batch.dropped();
    }

    private static float sum(float[] v) {
        float s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }

    private void foldIntoNormaliser(List<StepRecord> steps) {
        for (StepRecord s : steps) {
            normaliser.add(s.observation());
        }
        model.setNormalisation(normaliser.mean(), normaliser.std());
    }

    /**
     * Writes the learner's whole state into the directory {@code dir} (which must exist): policy and value
     * parameters with their normalisation, optimiser moments, observation statistics, version, sampling RNG and
     * the steps not yet trained on (queued and pending), so a restored learner continues exactly. Call between
     * updates, on the learner thread.
     */
    public void saveState(Path dir) throws IOException {
        ModelDirectory.writeWeights(dir.resolve("parameters.bin"), model.export());
        ModelDirectory.writeWeights(dir.resolve("optimiser.bin"), adam.exportState());
        List<StepRecord> waiting = new ArrayList<>(pending);
        waiting.addAll(queue);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(dir.resolve("learner.bin")), 1 << 16))) {
            out.writeInt(STATE_MAGIC);
            out.writeLong(version);
            out.writeLong(adam.steps());
            out.writeLong(drops.get());
            normaliser.write(out);
            byte[] random = RandomState.serialise(rnd);
            out.writeInt(random.length);
            out.write(random);
            out.writeInt(waiting.size());
            for (StepRecord s : waiting) {
                StepRecord.write(out, s);
            }
        }
    }

    /** Replaces this learner's state with one written by {@link #saveState} for the same network shapes. */
    public void restoreState(Path dir) throws IOException {
        model.parameters().load(ModelDirectory.readWeights(dir.resolve("parameters.bin")));
        Path file = dir.resolve("learner.bin");
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != STATE_MAGIC) {
                throw new ModelFormatException(file + ": not a PPO learner state");
            }
            version = in.readLong();
            long adamSteps = in.readLong();
            drops.set(in.readLong());
            adam.importState(ModelDirectory.readWeights(dir.resolve("optimiser.bin")), adamSteps);
            normaliser.read(in);
            byte[] random = new byte[in.readInt()];
            in.readFully(random);
            rnd = RandomState.deserialise(random, file);
            int n = in.readInt();
            queue.clear();
            pending.clear();
            for (int i = 0; i < n; i++) {
                pending.add(StepRecord.read(in));
            }
        }
        latest.set(model.snapshot(version));
    }

    private static final int STATE_MAGIC = 0x46524C50; // "FRLP"

    @Override
    public void close() {
        model.close();
    }

    /** Running mean/variance of observations (parallel-variance update), seeded with the offline statistics. */
    static final class RunningNormaliser {
        private final double[] mean;
        private final double[] m2;
        private double count;

        RunningNormaliser(float[] initialMean, float[] initialStd, double initialCount) {
            mean = new double[initialMean.length];
            m2 = new double[initialMean.length];
            count = initialCount;
            for (int i = 0; i < mean.length; i++) {
                mean[i] = initialMean[i];
                m2[i] = (double) initialStd[i] * initialStd[i] * initialCount;
            }
        }

        void write(DataOutputStream out) throws IOException {
            out.writeDouble(count);
            out.writeInt(mean.length);
            for (int i = 0; i < mean.length; i++) {
                out.writeDouble(mean[i]);
                out.writeDouble(m2[i]);
            }
        }

        void read(DataInputStream in) throws IOException {
            count = in.readDouble();
            int n = in.readInt();
            if (n != mean.length) {
                throw new IOException("observation statistics have " + n + " entries, expected " + mean.length);
            }
            for (int i = 0; i < n; i++) {
                mean[i] = in.readDouble();
                m2[i] = in.readDouble();
            }
        }

        void add(float[] x) {
            count++;
            for (int i = 0; i < mean.length; i++) {
                double d = x[i] - mean[i];
                mean[i] += d / count;
                m2[i] += d * (x[i] - mean[i]);
            }
        }

        float[] mean() {
            float[] m = new float[mean.length];
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) mean[i];
            }
            return m;
        }

        float[] std() {
            float[] s = new float[mean.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) Math.max(Stats.MIN_STD, Math.sqrt(m2[i] / count));
            }
            return s;
        }
    }
}
