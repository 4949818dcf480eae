package io.farl.model.djl;

import io.farl.model.jvm.TanhGaussian;
import io.farl.model.jvm.MlpSpec;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.farl.model.api.OfflineImprovementConfig;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.ProgressListener;
import io.farl.model.api.SupervisedConfig;
import io.farl.model.api.TrainingReport;
import io.farl.model.api.TransitionData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Offline training of task and recovery policies: behaviour cloning, then Uni-O4-style improvement.
 * Runs on the calling thread; deterministic for a given seed. Returned models are owned by the caller.
 */
public final class PolicyTrainer {
    private PolicyTrainer() {
    }

    /** A trained policy and what training did. */
    public record Result(GaussianPolicyModel model, TrainingReport report) {
    }

    /**
     * Maximum-likelihood behaviour cloning of the tanh-Gaussian actor on every transition of {@code data}
     * (select the sources first: task demonstrations for π_task, recovery demonstrations for π_rec). The critic
     * is fitted to discounted Monte-Carlo returns (γ 0.99) in the same passes so PPO can start from it.
     */
    public static Result behaviourCloning(NDManager parent, TransitionData data, PolicyNetworkConfig net,
            SupervisedConfig cfg, ProgressListener listener) {
        checkSizes(data, net);
        float[] mean = Stats.mean(data.observations(), net.observationSize());
        float[] std = Stats.std(data.observations(), net.observationSize(), mean);
        GaussianPolicyModel model = GaussianPolicyModel.create(parent, net, mean, std, cfg.seed());
        try {
            NdParameters p = model.parameters();
            Adam adam = new Adam(p.manager(), 10).add(p.startingWith("pi.", "log_std", "v."), 1.0);
            float[] obsN = WorldModelTrainer.normalise(data.observations(), mean, std);
            float[] returns = data.returnsToGo(0.99);
            TrainingReport r = minibatches("bc", data.size(), cfg, listener, (sm, idx) -> {
                NDArray o = sm.create(WorldModelTrainer.rows(obsN, idx, net.observationSize()),
                        new Shape(idx.length, net.observationSize()));
                NDArray a = sm.create(WorldModelTrainer.rows(data.actions(), idx, net.actionSize()),
                        new Shape(idx.length, net.actionSize()));
                NDArray nll = model.logProb(o, a).neg().mean();
                NDArray v = model.value(o).sub(sm.create(WorldModelTrainer.pick(returns, idx))).square().mean();
                return new NDArray[] {nll.add(v), nll, v};
            }, new String[] {"loss", "nll", "valueMse"}, adam, cfg.learningRate());
            return new Result(model, r);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Uni-O4-style offline improvement of {@code behaviour} on {@code data} (returns a new model; the input is
     * left untouched): V(s) regressed on Monte-Carlo returns; Q(s, a) by SARSA with a Polyak target network;
     * then clipped-ratio steps on A = Q(s, a) − V(s) (standardised per batch) for actions sampled from the
     * current behaviour policy π_k, ratio π_θ/π_k. Every {@code behaviourRefreshEverySteps} an off-policy
     * estimate (mean Q at π_θ's mean action on a fixed batch of states) decides whether π_θ replaces π_k;
     * each replacement decays the clip.
     */
    public static Result offlineImprove(NDManager parent, GaussianPolicyModel behaviour, TransitionData data,
            OfflineImprovementConfig cfg, ProgressListener listener) {
        PolicyNetworkConfig net = behaviour.config();
        checkSizes(data, net);
        int obsN = net.observationSize();
        int actN = net.actionSize();
        GaussianPolicyModel theta = GaussianPolicyModel.fromParameters(parent, net, behaviour.export());
        GaussianPolicyModel piK = GaussianPolicyModel.fromParameters(parent, net, behaviour.export());
        MlpSpec qSpec = new MlpSpec("q.", obsN + actN, net.hiddenSize(), net.hiddenLayers(), 1, 0);
        try (NdParameters q = new NdParameters(parent); NdParameters qTarget = new NdParameters(parent)) {
            Random init = new Random(cfg.seed());
            DjlMlp.register(qSpec, q, init);
            DjlMlp.register(qSpec, qTarget, new Random(cfg.seed()));
            float[] mean = theta.parameters().get("norm.mean").toFloatArray();
            float[] std = theta.parameters().get("norm.std").toFloatArray();
            float[] o = WorldModelTrainer.normalise(data.observations(), mean, std);
            float[] o2 = WorldModelTrainer.normalise(data.nextObservations(), mean, std);
            float[] returns = data.returnsToGo(cfg.discount());
            List<Map<String, Double>> epochs = new ArrayList<>();
            long t0 = System.nanoTime();
            long samples = 0;

            // 1. V by Monte-Carlo regression
            Adam vAdam = new Adam(theta.parameters().manager(), 10).add(theta.parameters().startingWith("v."), 1.0);
            TrainingReport vr = minibatches("value", data.size(), cfg.critic(), listener, (sm, idx) -> {
                NDArray x = sm.create(WorldModelTrainer.rows(o, idx, obsN), new Shape(idx.length, obsN));
                NDArray l = theta.value(x).sub(sm.create(WorldModelTrainer.pick(returns, idx))).square().mean();
                return new NDArray[] {l};
            }, new String[] {"valueMse"}, vAdam, cfg.critic().learningRate());
            epochs.addAll(vr.epochMetrics());
            samples += (long) cfg.critic().epochs() * data.size();

            // 2. Q by SARSA on the data's own next actions
            Adam qAdam = new Adam(q.manager(), 10).add(q.all(), 1.0);
            TrainingReport qr = minibatches("q-sarsa", data.size(), cfg.critic(), listener, (sm, idx) -> {
                int b = idx.length;
                float[] bootstrap = new float[b];
                float[] nextAct = new float[b * actN];
                float[] useQ = new float[b];
                for (int j = 0; j < b; j++) {
                    int i = idx[j];
                    if (data.hasSuccessor(i)) {
                        System.arraycopy(data.actions(), (i + 1) * actN, nextAct, j * actN, actN);
                        useQ[j] = 1f;
                    }
                }
                NDArray s2 = sm.create(WorldModelTrainer.rows(o2, idx, obsN), new Shape(b, obsN));
                NDArray qNext = DjlMlp.forward(qSpec, qTarget, s2.concat(sm.create(nextAct, new Shape(b, actN)), 1))
                        .reshape(b).stopGradient();
                NDArray vNext = theta.value(s2).stopGradient();
                float[] terminal = new float[b];
                for (int j = 0; j < b; j++) {
                    terminal[j] = data.terminals()[idx[j]] ? 0f : 1f;
                }
                NDArray uq = sm.create(useQ);
                NDArray boot = qNext.mul(uq).add(vNext.mul(uq.neg().add(1f))).mul(sm.create(terminal));
                NDArray target = sm.create(WorldModelTrainer.pick(data.rewards(), idx))
                        .add(NdArrays.mul(boot, cfg.discount()));
                NDArray s = sm.create(WorldModelTrainer.rows(o, idx, obsN), new Shape(b, obsN));
                NDArray a = sm.create(WorldModelTrainer.rows(data.actions(), idx, actN), new Shape(b, actN));
                NDArray l = DjlMlp.forward(qSpec, q, s.concat(a, 1)).reshape(b).sub(target).square().mean();
                java.util.Arrays.fill(bootstrap, 0f);
                return new NDArray[] {l};
            }, new String[] {"qMse"}, qAdam, cfg.critic().learningRate(), () -> polyak(qTarget, q, cfg.targetPolyak()));
            epochs.addAll(qr.epochMetrics());
            samples += (long) cfg.critic().epochs() * data.size();

            // 3. behaviour-proximal clipped-ratio improvement
            Adam piAdam = new Adam(theta.parameters().manager(), 0.5)
                    .add(theta.parameters().startingWith("pi.", "log_std"), 1.0);
            Random rnd = new Random(cfg.seed() + 17);
            int[] evalIdx = rnd.ints(Math.min(1024, data.size()), 0, data.size()).toArray();
            double best = offPolicyEstimate(theta, qSpec, q, o, evalIdx, obsN);
            double initialEstimate = best;
            double clip = cfg.clipRatio();
            int refreshes = 0;
            double lossSum = 0;
            for (int step = 1; step <= cfg.improvementSteps(); step++) {
                int[] idx = rnd.ints(cfg.batchSize(), 0, data.size()).toArray();
                int b = idx.length;
                float[] noise = new float[b * actN];
                for (int k = 0; k < noise.length; k++) {
                    noise[k] = (float) rnd.nextGaussian();
                }
                final double clipNow = clip;
                try (NDManager sm = theta.parameters().manager().newSubManager(); NDScope scope = new NDScope()) {
                    NDArray s = sm.create(WorldModelTrainer.rows(o, idx, obsN), new Shape(b, obsN));
                    NDArray muK = piK.mean(s);
                    NDArray a = muK.add(piK.logStd().exp().mul(sm.create(noise, new Shape(b, actN)))).tanh()
                            .clip(-TanhGaussian.ACTION_LIMIT, TanhGaussian.ACTION_LIMIT);
                    NDArray logpK = piK.logProb(s, a);
                    NDArray adv = DjlMlp.forward(qSpec, q, s.concat(a, 1)).reshape(b).sub(theta.value(s));
                    float[] af = adv.toFloatArray();
                    standardise(af);
                    NDArray advN = sm.create(af);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray ratio = theta.logProb(s, a).sub(logpK).exp();
                        NDArray surr = ratio.mul(advN).minimum(
                                ratio.clip(1 - clipNow, 1 + clipNow).mul(advN));
                        NDArray loss = surr.mean().neg();
                        gc.backward(loss);
                        lossSum += loss.getFloat();
                    }
                    piAdam.step(cfg.policyLearningRate());
                }
                samples += b;
                if (step % cfg.behaviourRefreshEverySteps() == 0) {
                    double est = offPolicyEstimate(theta, qSpec, q, o, evalIdx, obsN);
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("policyLoss", lossSum / cfg.behaviourRefreshEverySteps());
                    m.put("offPolicyEstimate", est);
                    m.put("clip", clip);
                    lossSum = 0;
                    if (est > best) {
                        best = est;
                        piK.parameters().copyFrom(theta.parameters(), "pi.", "log_std");
                        clip *= cfg.clipDecay();
                        refreshes++;
                    }
                    epochs.add(m);
                    listener.onEpoch("policy-improvement", step / cfg.behaviourRefreshEverySteps() - 1, m);
                }
            }
            long wall = System.nanoTime() - t0;
            // keep the best-evaluated policy: π_k holds it
            theta.parameters().copyFrom(piK.parameters(), "pi.", "log_std");
            Map<String, Double> held = new LinkedHashMap<>();
            held.put("offPolicyEstimateInitial", initialEstimate);
            held.put("offPolicyEstimateFinal", best);
            held.put("behaviourRefreshes", (double) refreshes);
            return new Result(theta, new TrainingReport(epochs, held, samples / (wall / 1e9), wall));
        } catch (RuntimeException e) {
            theta.close();
            throw e;
        } finally {
            piK.close();
        }
    }

    private static double offPolicyEstimate(GaussianPolicyModel pi, MlpSpec qSpec, NdParameters q, float[] o,
            int[] idx, int obsN) {
        try (NDManager sm = q.manager().newSubManager(); NDScope scope = new NDScope()) {
            NDArray s = sm.create(WorldModelTrainer.rows(o, idx, obsN), new Shape(idx.length, obsN));
            return DjlMlp.forward(qSpec, q, s.concat(pi.mean(s).tanh(), 1)).mean().getFloat();
        }
    }

    private static void polyak(NdParameters target, NdParameters source, double tau) {
        for (Map.Entry<String, NDArray> e : source.all().entrySet()) {
            NDArray t = target.get(e.getKey());
            try (NDArray d = e.getValue().sub(t)) {
                t.addi(d.muli((float) tau));
            }
        }
    }

    static void standardise(float[] x) {
        double m = 0;
        for (float v : x) {
            m += v;
        }
        m /= x.length;
        double s = 0;
        for (float v : x) {
            s += (v - m) * (v - m);
        }
        s = Math.sqrt(s / x.length) + 1e-8;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((x[i] - m) / s);
        }
    }

    private static void checkSizes(TransitionData data, PolicyNetworkConfig net) {
        if (data.observationSize() != net.observationSize() || data.actionSize() != net.actionSize()) {
            throw new IllegalArgumentException("data sizes " + data.observationSize() + "/" + data.actionSize()
                    + " differ from the network's " + net.observationSize() + "/" + net.actionSize());
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("no transitions");
        }
    }

    static TrainingReport minibatches(String phase, int n, SupervisedConfig cfg, ProgressListener listener,
            BiFunction<NDManager, int[], NDArray[]> loss, String[] names, Adam adam, double lr) {
        return minibatches(phase, n, cfg, listener, loss, names, adam, lr, () -> { });
    }

    /** Shuffled minibatch epochs; {@code loss} returns the total first, then the terms to report. */
    static TrainingReport minibatches(String phase, int n, SupervisedConfig cfg, ProgressListener listener,
            BiFunction<NDManager, int[], NDArray[]> loss, String[] names, Adam adam, double lr, Runnable afterStep) {
        Random rnd = new Random(cfg.seed() * 31 + phase.hashCode());
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        List<Map<String, Double>> epochs = new ArrayList<>();
        long t0 = System.nanoTime();
        long samples = 0;
        NDManager owner = NDManager.newBaseManager();
        try {
            for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
                for (int i = n - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
                double[] sums = new double[names.length];
                int steps = 0;
                for (int start = 0; start < n; start += cfg.batchSize()) {
                    int[] idx = java.util.Arrays.copyOfRange(perm, start, Math.min(n, start + cfg.batchSize()));
                    try (NDManager sm = owner.newSubManager(); NDScope scope = new NDScope()) {
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray[] l = loss.apply(sm, idx);
                            gc.backward(l[0]);
                            for (int k = 0; k < names.length; k++) {
                                sums[k] += l[k].getFloat();
                            }
                        }
                        adam.step(lr);
                        afterStep.run();
                    }
                    steps++;
                    samples += idx.length;
                }
                Map<String, Double> m = new LinkedHashMap<>();
                for (int k = 0; k < names.length; k++) {
                    m.put(names[k], sums[k] / steps);
                }
                epochs.add(m);
                listener.onEpoch(phase, epoch, m);
            }
        } finally {
            owner.close();
        }
        long wall = System.nanoTime() - t0;
        return new TrainingReport(epochs, Map.of(), samples / (wall / 1e9), wall);
    }
}
