package io.farl.model.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.farl.model.api.Calibration;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.ProgressListener;
import io.farl.model.api.TrainingReport;
import io.farl.model.api.TransitionData;
import io.farl.model.api.WorldModelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Offline training of {@link DjlWorldModel} on task, failure, policy-rollout and recovery episodes. Each step samples
 * {@code batchSize} windows of {@code trainHorizonSteps} transitions that stay inside one episode (a fraction
 * {@link WorldModelConfig#failureOversampling()} of them drawn to end just before or at an IR failure, which is rare),
 * encodes the first observation, and rolls the latent forward with the recorded actions. On the imagined latents z_t
 * it applies, weighted by rho^t and masked past episode ends:
 * <ul>
 *   <li>latent consistency ||d(z_t, a_t) − sg(h(s_{t+1}))||² and reward MSE;</li>
 *   <li>value-ensemble MSE to Monte-Carlo returns on sg(z_t): returns are large and noisy, and their gradient
 *       swamped the constraint head's in the shared encoder;</li>
 *   <li>BCE of ĉ(z_t, a_t) against the failure-to-go target {@code Σ_k γ_c^k C_{t+k}}
 *       ({@link TransitionData#failureToGo}), so the head already sees a failure several steps before it happens
 *       (a target of C_t alone taught it to fire only on the failure step);</li>
 *   <li>the policy prior's negative log-likelihood of the recorded action on task-demonstration and policy-rollout
 *       steps (on sg(z_t)): C_H rollouts follow the behaviour of the policy the gate guards, not only the expert's;</li>
 *   <li>the decoder's reconstruction of the normalised observation (on sg(z_t)).</li>
 * </ul>
 * Runs on the calling thread; deterministic for a given seed.
 */
public final class WorldModelTrainer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorldModelTrainer.class);
    private static final double MAX_AUTO_POSITIVE_WEIGHT = 100;
    /**
     * Bound on the prior's standardised residual in its likelihood loss: expert actions are saturated and
     * multimodal, and an unbounded residual sent gradients of 1e19 (and then non-finite ones) through the prior.
     */
    static final float PRIOR_RESIDUAL_LIMIT = 10f;
    /** Oversampled windows start up to this many steps (plus the training horizon) before an IR failure. */
    static final int PRE_FAILURE_STEPS = 10;

    private WorldModelTrainer() {
    }

    /** The trained model (caller owns and closes it) and what training did. */
    public record Result(DjlWorldModel model, TrainingReport report) {
    }

    public static Result train(NDManager parent, TransitionData data, WorldModelConfig config,
            ProgressListener listener) {
        if (data.observationSize() != config.observationSize() || data.actionSize() != config.actionSize()) {
            throw new IllegalArgumentException("data has observation/action sizes " + data.observationSize() + "/"
                    + data.actionSize() + ", config expects " + config.observationSize() + "/" + config.actionSize());
        }
        TransitionData.Split split = data.splitEpisodes(config.heldOutFraction(), config.seed());
        TransitionData train = split.train();
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training transitions");
        }
        int obsN = config.observationSize();
        float[] mean = Stats.mean(train.observations(), obsN);
        float[] std = Stats.std(train.observations(), obsN, mean);
        DjlWorldModel model = DjlWorldModel.create(parent, config, mean, std);
        try {
            TrainingReport report = new Loop(model, train, split.heldOut(), config, listener).run();
            return new Result(model, report);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Positive weight of the constraint BCE: configured; 1 when failure windows are oversampled (the sampling already
     * balances them); else negatives/positives capped at 100.
     */
    static double positiveWeight(TransitionData data, WorldModelConfig config) {
        if (config.failurePositiveWeight() > 0) {
            return config.failurePositiveWeight();
        }
        if (config.failureOversampling() > 0) {
            return 1;
        }
        int pos = data.failureCount();
        int neg = data.size() - pos;
        return pos == 0 ? 1 : Math.max(1, Math.min(MAX_AUTO_POSITIVE_WEIGHT, (double) neg / pos));
    }

    private static final class Loop {
        final DjlWorldModel model;
        final TransitionData train;
        final TransitionData heldOut;
        final WorldModelConfig c;
        final ProgressListener listener;
        final float[] obsNorm;
        final float[] nextNorm;
        final float[] returns;
        final float[] failureToGo;
        /** Indices of the IR-failure transitions, for oversampling the windows that end in them. */
        final int[] failureIndex;
        final float posWeight;
        final Random rnd;

        Loop(DjlWorldModel model, TransitionData train, TransitionData heldOut, WorldModelConfig c,
                ProgressListener listener) {
            this.model = model;
            this.train = train;
            this.heldOut = heldOut;
            this.c = c;
            this.listener = listener;
            float[] mean = model.observationMean();
            float[] std = model.observationStd();
            obsNorm = normalise(train.observations(), mean, std);
            nextNorm = normalise(train.nextObservations(), mean, std);
            returns = train.returnsToGo(c.discount());
            failureToGo = train.failureToGo(c.constraintDiscount());
            failureIndex = java.util.stream.IntStream.range(0, train.size()).filter(i -> train.failures()[i])
                    .toArray();
            posWeight = (float) positiveWeight(train, c);
            rnd = new Random(c.seed() ^ 0x5DEECE66DL);
        }

        TrainingReport run() {
            NdParameters p = model.parameters();
            Adam adam = new Adam(p.manager(), c.gradClipNorm())
                    .add(p.startingWith("enc."), c.encoderLearningRateScale())
                    .add(p.startingWith("dyn.", "rew.", "q", "pi.", "con.", "dec."), 1.0);
            List<Map<String, Double>> epochs = new ArrayList<>();
            long t0 = System.nanoTime();
            long samples = 0;
            for (int epoch = 0; epoch < c.epochs(); epoch++) {
                double[] sums = new double[7];
                for (int s = 0; s < c.stepsPerEpoch(); s++) {
                    double[] l = step(adam);
                    for (int k = 0; k < sums.length; k++) {
                        sums[k] += l[k];
                    }
                    samples += c.batchSize();
                }
                Map<String, Double> m = new LinkedHashMap<>();
                String[] names = {"loss", "consistency", "reward", "value", "constraint", "prior", "decoder"};
                for (int k = 0; k < names.length; k++) {
                    m.put(names[k], sums[k] / c.stepsPerEpoch());
                }
                epochs.add(m);
                listener.onEpoch("world-model", epoch, m);
            }
            long wall = System.nanoTime() - t0;
            long total = (long) c.epochs() * c.stepsPerEpoch();
            if (adam.skippedSteps() * 10 > total) {
                throw new IllegalStateException("world-model training diverged: " + adam.skippedSteps() + " of " + total
                        + " steps had a non-finite gradient (first in " + adam.firstNonFiniteParameters() + ")");
            }
            if (adam.skippedSteps() > 0) {
                LOG.warn("world-model training skipped {} of {} steps for a non-finite gradient (first in {})",
                        adam.skippedSteps(), total, adam.firstNonFiniteParameters());
            }
            Map<String, Double> held = new LinkedHashMap<>();
            TransitionData evalData = heldOut.size() > 0 && heldOut.failureCount() > 0 ? heldOut : train;
            held.put("constraintAuroc", constraintAuroc(model, evalData));
            held.put("constraintAurocOnHeldOut", evalData == heldOut ? 1.0 : 0.0);
            held.put("positiveWeight", (double) posWeight);
            held.put("skippedSteps", (double) adam.skippedSteps());
            return new TrainingReport(epochs, held, samples / (wall / 1e9), wall);
        }

        /**
         * First transition of a training window: uniform, or (with probability {@code failureOversampling}) one of the
         * {@code trainHorizonSteps + PRE_FAILURE_STEPS} steps up to an IR failure, so the windows that reach a failure
         * are not a rare sight.
         */
        private int windowStart() {
            if (failureIndex.length == 0 || rnd.nextDouble() >= c.failureOversampling()) {
                return rnd.nextInt(train.size());
            }
            int f = failureIndex[rnd.nextInt(failureIndex.length)];
            int back = rnd.nextInt(c.trainHorizonSteps() + PRE_FAILURE_STEPS);
            return f - Math.min(back, train.steps()[f]);
        }

        private double[] step(Adam adam) {
            int b = c.batchSize();
            int horizon = c.trainHorizonSteps();
            int obsN = c.observationSize();
            int actN = c.actionSize();
            int[][] idx = new int[horizon][b];
            float[][] mask = new float[horizon][b];
            for (int j = 0; j < b; j++) {
                int i = windowStart();
                boolean valid = true;
                for (int t = 0; t < horizon; t++) {
                    if (t > 0) {
                        if (valid && train.hasSuccessor(i)) {
                            i++;
                        } else {
                            valid = false;
                        }
                    }
                    idx[t][j] = i;
                    mask[t][j] = valid ? 1f : 0f;
                }
            }
            try (NDManager sm = model.parameters().manager().newSubManager(); NDScope scope = new NDScope()) {
                NDArray[] loss = new NDArray[6];
                double[] out = new double[7];
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray z = model.encode(sm.create(rows(obsNorm, idx[0], obsN), new Shape(b, obsN)));
                    float norm = 1f / (b * horizon);
                    for (int t = 0; t < horizon; t++) {
                        float w = (float) Math.pow(c.rho(), t) * norm;
                        NDArray m = NdArrays.mul(NdArrays.of(sm, mask[t]), w);
                        NDArray a = sm.create(rows(train.actions(), idx[t], actN), new Shape(b, actN));
                        NDArray target = model.encode(sm.create(rows(nextNorm, idx[t], obsN), new Shape(b, obsN)))
                                .stopGradient();
                        NDArray zNext = model.next(z, a);
                        NDArray cons = zNext.sub(target).square().mean(new int[] {1});
                        NDArray r = sm.create(pick(train.rewards(), idx[t]));
                        NDArray rew = model.reward(z, a).reshape(b).sub(r).square();
                        NDArray g = sm.create(pick(returns, idx[t]));
                        NDArray val = null;
                        NDArray zv = z.stopGradient();
                        for (int k = 0; k < c.valueEnsembleSize(); k++) {
                            NDArray vk = model.q(k, zv, a).reshape(b).sub(g).square();
                            val = val == null ? vk : val.add(vk);
                        }
                        float[] cf = new float[b];
                        float[] imitated = new float[b];
                        for (int j = 0; j < b; j++) {
                            cf[j] = failureToGo[idx[t][j]];
                            EpisodeSource src = train.source(idx[t][j]);
                            imitated[j] = src == EpisodeSource.EXPERT || src == EpisodeSource.POLICY ? 1f : 0f;
                        }
                        NDArray logit = model.constraintLogit(z, a).reshape(b);
                        NDArray cArr = sm.create(cf);
                        NDArray bce = NdArrays.mul(cArr.mul(Stats.softplus(logit.neg())), posWeight)
                                .add(cArr.neg().add(1f).mul(Stats.softplus(logit)));
                        NDArray zd = z.stopGradient();
                        NDArray ml = model.priorMeanLogStd(zd);
                        NDArray nll = Stats.tanhGaussianLogProb(ml.get(":, :" + actN), ml.get(":, " + actN + ":"), a,
                                PRIOR_RESIDUAL_LIMIT)
                                .neg().mul(sm.create(imitated));
                        NDArray dec = null;
                        if (model.hasDecoder()) {
                            NDArray obsT = t == 0 ? sm.create(rows(obsNorm, idx[0], obsN), new Shape(b, obsN))
                                    : sm.create(rows(nextNorm, idx[t - 1], obsN), new Shape(b, obsN));
                            dec = model.decode(zd).sub(obsT).square().mean(new int[] {1});
                        }
                        NDArray[] terms = {cons, rew, val, bce, nll, dec};
                        for (int k = 0; k < terms.length; k++) {
                            if (terms[k] == null) {
                                continue;
                            }
                            NDArray s = terms[k].mul(m).sum();
                            loss[k] = loss[k] == null ? s : loss[k].add(s);
                        }
                        z = zNext;
                    }
                    double[] weights = {c.consistencyWeight(), c.rewardWeight(), c.valueWeight(),
                        c.constraintWeight(), c.priorWeight(), c.decoderWeight()};
                    NDArray total = null;
                    for (int k = 0; k < loss.length; k++) {
                        if (loss[k] == null) {
                            continue;
                        }
                        NDArray wk = NdArrays.mul(loss[k], weights[k]);
                        total = total == null ? wk : total.add(wk);
                    }
                    gc.backward(total);
                    out[0] = total.getFloat();
                    for (int k = 0; k < loss.length; k++) {
                        out[k + 1] = loss[k] == null ? 0 : loss[k].getFloat();
                    }
                    if (!Double.isFinite(out[0])) {
                        throw new IllegalStateException("world-model loss became non-finite: " + out[0]);
                    }
                }
                // parameter updates must run with gradient recording off, i.e. after the collector closed
                adam.step(c.learningRate());
                return out;
            }
        }
    }

    /** Steps before an IR failure that count as positives of {@link #constraintAuroc}. */
    public static final int AUROC_WINDOW_STEPS = 10;

    /**
     * Step-level AUROC of ĉ(h(s), a) on {@code data} with the steps up to {@value #AUROC_WINDOW_STEPS} before an IR
     * failure (and the failure step) as positives: what a failure-to-go head is trained to rank high.
     */
    public static double constraintAuroc(DjlWorldModel model, TransitionData data) {
        double[] scores = constraintScores(model, data);
        return Calibration.auroc(scores, Calibration.windowLabels(data, AUROC_WINDOW_STEPS));
    }

    /** ĉ(h(s_i), a_i) for every transition. */
    public static double[] constraintScores(DjlWorldModel model, TransitionData data) {
        int obsN = data.observationSize();
        int actN = data.actionSize();
        double[] out = new double[data.size()];
        int chunk = 1024;
        for (int start = 0; start < data.size(); start += chunk) {
            int n = Math.min(chunk, data.size() - start);
            try (NDManager sm = model.parameters().manager().newSubManager(); NDScope scope = new NDScope()) {
                float[] o = new float[n * obsN];
                System.arraycopy(data.observations(), start * obsN, o, 0, n * obsN);
                float[] a = new float[n * actN];
                System.arraycopy(data.actions(), start * actN, a, 0, n * actN);
                NDArray z = model.encode(model.normalise(sm.create(o, new Shape(n, obsN))));
                float[] c = model.constraint(z, sm.create(a, new Shape(n, actN))).toFloatArray();
                for (int i = 0; i < n; i++) {
                    out[start + i] = c[i];
                }
            }
        }
        return out;
    }

    static float[] normalise(float[] rows, float[] mean, float[] std) {
        int w = mean.length;
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int j = i % w;
            out[i] = (rows[i] - mean[j]) / std[j];
        }
        return out;
    }

    static float[] rows(float[] src, int[] idx, int width) {
        float[] out = new float[idx.length * width];
        for (int j = 0; j < idx.length; j++) {
            System.arraycopy(src, idx[j] * width, out, j * width, width);
        }
        return out;
    }

    static float[] pick(float[] src, int[] idx) {
        float[] out = new float[idx.length];
        for (int j = 0; j < idx.length; j++) {
            out[j] = src[idx[j]];
        }
        return out;
    }
}
