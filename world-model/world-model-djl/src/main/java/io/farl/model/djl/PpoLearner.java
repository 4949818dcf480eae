package io.farl.model.djl;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
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
 * from the offline phase, running observation normalisation. Steps where the recovery policy acted are handled
 * per {@link PpoConfig#recoveryStorage()}. {@link #offer} may be called from any thread and never blocks;
 * {@link #update} runs on the learner thread (which owns the native model); snapshots are published through
 * an atomic reference for the actor.
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

    private int train(List<StepRecord> batch, Map<String, Double> metrics) {
        int n = batch.size();
        int obsN = model.config().observationSize();
        int actN = model.config().actionSize();
        if (cfg.normaliseObservations()) {
            for (StepRecord s : batch) {
                normaliser.add(s.observation());
            }
            model.setNormalisation(normaliser.mean(), normaliser.std());
        }
        float[] obs = new float[n * obsN];
        float[] next = new float[n * obsN];
        float[] act = new float[n * actN];
        float[] oldLogp = new float[n];
        float[] mask = new float[n];
        for (int i = 0; i < n; i++) {
            StepRecord s = batch.get(i);
            System.arraycopy(s.observation(), 0, obs, i * obsN, obsN);
            System.arraycopy(s.nextObservation(), 0, next, i * obsN, obsN);
            boolean useExecuted = s.recoveryActed() && cfg.recoveryStorage() == RecoveryStorage.EXECUTED_ACTION;
            System.arraycopy(useExecuted ? s.executedAction() : s.proposedAction(), 0, act, i * actN, actN);
            oldLogp[i] = (float) s.proposalLogProb();
            mask[i] = 1f;
        }
        float[] values;
        float[] nextValues;
        float[] currentLogp;
        try (NDManager sm = model.parameters().manager().newSubManager(); NDScope scope = new NDScope()) {
            NDArray o = model.normalise(sm.create(obs, new Shape(n, obsN)));
            values = model.value(o).toFloatArray();
            nextValues = model.value(model.normalise(sm.create(next, new Shape(n, obsN)))).toFloatArray();
            currentLogp = model.logProb(o, sm.create(act, new Shape(n, actN))).toFloatArray();
        }
        int dropped = 0;
        for (int i = 0; i < n; i++) {
            StepRecord s = batch.get(i);
            if (s.recoveryActed() && cfg.recoveryStorage() == RecoveryStorage.EXECUTED_ACTION) {
                // the task policy did not choose this action: treat π_old(a_exec|s) as the behaviour density
                // (ratio starts at 1 and is clipped as usual), or drop it when the policy cannot explain it
                oldLogp[i] = currentLogp[i];
                if (currentLogp[i] < cfg.minExecutedLogProb()) {
                    mask[i] = 0f;
                    dropped++;
                }
            }
        }
        float[] adv = new float[n];
        float[] ret = new float[n];
        double gae = 0;
        for (int i = n - 1; i >= 0; i--) {
            StepRecord s = batch.get(i);
            double boot = s.terminated() ? 0 : nextValues[i];
            double delta = s.reward() + cfg.discount() * boot - values[i];
            boolean cut = s.done() || i == n - 1;
            gae = delta + (cut ? 0 : cfg.discount() * cfg.gaeLambda() * gae);
            adv[i] = (float) gae;
            ret[i] = (float) (gae + values[i]);
        }
        PolicyTrainer.standardise(adv);
        float[] normObs = WorldModelTrainer.normalise(obs, normaliser.mean(), normaliser.std());
        if (!cfg.normaliseObservations()) {
            normObs = WorldModelTrainer.normalise(obs, model.parameters().get("norm.mean").toFloatArray(),
                    model.parameters().get("norm.std").toFloatArray());
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        double pl = 0;
        double vl = 0;
        double ent = 0;
        double kl = 0;
        double clipped = 0;
        int steps = 0;
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
                try (NDManager sm = model.parameters().manager().newSubManager(); NDScope scope = new NDScope()) {
                    NDArray o = sm.create(WorldModelTrainer.rows(normObs, idx, obsN), new Shape(b, obsN));
                    NDArray a = sm.create(WorldModelTrainer.rows(act, idx, actN), new Shape(b, actN));
                    NDArray oldLp = sm.create(WorldModelTrainer.pick(oldLogp, idx));
                    NDArray advB = sm.create(WorldModelTrainer.pick(adv, idx));
                    NDArray retB = sm.create(WorldModelTrainer.pick(ret, idx));
                    NDArray m = sm.create(WorldModelTrainer.pick(mask, idx));
                    float denom = Math.max(1f, sum(WorldModelTrainer.pick(mask, idx)));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logRatio = model.logProb(o, a).sub(oldLp).clip(-20f, 20f);
                        NDArray ratio = logRatio.exp();
                        NDArray surr = ratio.mul(advB).minimum(ratio.clip(1 - eps, 1 + eps).mul(advB));
                        NDArray policyLoss = surr.mul(m).sum().div(denom).neg();
                        NDArray entropy = model.gaussianEntropy();
                        NDArray valueLoss = model.value(o).sub(retB).square().mean();
                        NDArray loss = policyLoss.sub(entropy.mul((float) cfg.entropyCoefficient()))
                                .add(valueLoss.mul(0.5f));
                        gc.backward(loss);
                        pl += policyLoss.getFloat();
                        vl += valueLoss.getFloat();
                        ent += entropy.getFloat();
                        kl += ratio.sub(1f).sub(logRatio).mul(m).sum().getFloat() / denom;
                        clipped += ratio.sub(1f).abs().gt(eps).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                                .mul(m).sum().getFloat() / denom;
                    }
                    adam.step(cfg.actorLearningRate());
                }
                steps++;
            }
        }
        metrics.put("policyLoss", pl / steps);
        metrics.put("valueLoss", vl / steps);
        metrics.put("entropy", ent / steps);
        metrics.put("approxKl", kl / steps);
        metrics.put("clipFraction", clipped / steps);
        metrics.put("droppedRecoverySteps", (double) dropped);
        return dropped;
    }

    private static float sum(float[] v) {
        float s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
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
            byte[] random = serialise(rnd);
            out.writeInt(random.length);
            out.write(random);
            out.writeInt(waiting.size());
            for (StepRecord s : waiting) {
                writeStep(out, s);
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
            rnd = deserialise(random, file);
            int n = in.readInt();
            queue.clear();
            pending.clear();
            for (int i = 0; i < n; i++) {
                pending.add(readStep(in));
            }
        }
        latest.set(model.snapshot(version));
    }

    private static final int STATE_MAGIC = 0x46524C50; // "FRLP"

    private static byte[] serialise(Random r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(r);
        }
        return bytes.toByteArray();
    }

    private static Random deserialise(byte[] b, Path file) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            return (Random) in.readObject();
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new ModelFormatException(file + ": bad sampling state", e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }

    private static void writeStep(DataOutputStream out, StepRecord s) throws IOException {
        writeFloats(out, s.observation());
        writeFloats(out, s.executedAction());
        writeFloats(out, s.proposedAction());
        out.writeDouble(s.proposalLogProb());
        out.writeLong(s.policyVersion());
        out.writeDouble(s.reward());
        writeFloats(out, s.nextObservation());
        out.writeBoolean(s.terminated());
        out.writeBoolean(s.truncated());
        out.writeBoolean(s.recoveryActed());
        out.writeBoolean(s.irFailure());
    }

    private static StepRecord readStep(DataInputStream in) throws IOException {
        return new StepRecord(readFloats(in), readFloats(in), readFloats(in), in.readDouble(), in.readLong(),
                in.readDouble(), readFloats(in), in.readBoolean(), in.readBoolean(), in.readBoolean(),
                in.readBoolean());
    }

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
