package io.farl.model.djl;

import io.farl.model.api.FailureCostModel;
import io.farl.model.api.TransitionData;
import java.util.Random;

/**
 * Ablation (a), the paper's "simple critic": a model-free whole-episode safety critic Q_c(s, a) ≈ Σ_k γ_c^k C_{t+k}
 * (discounted future IR failure to the end of the episode, in [0, 1] because a failure ends the episode), an MLP
 * trained by binary cross-entropy on the same offline data as the world model, in place of the world model's
 * H-step latent rollout. Plain Java (two ReLU layers, Adam); small enough to train in seconds. The trained
 * instance is read-only: {@link #cost} is thread-confined only through its scratch buffers, so use one per thread.
 */
public final class SafetyCritic implements FailureCostModel {
    private final int in;
    private final int hidden;
    private final float[] mean;
    private final float[] std;
    private final float[][] w = new float[3][];
    private final float[][] b = new float[3][];
    private final float[] x;
    private final float[] h1;
    private final float[] h2;

    private SafetyCritic(int obsN, int actN, int hidden, float[] mean, float[] std) {
        this.in = obsN + actN;
        this.hidden = hidden;
        this.mean = mean;
        this.std = std;
        x = new float[in];
        h1 = new float[hidden];
        h2 = new float[hidden];
    }

    /** A copy sharing the weights, with its own scratch buffers. */
    public SafetyCritic copy() {
        SafetyCritic c = new SafetyCritic(in - actionSize(), actionSize(), hidden, mean, std);
        System.arraycopy(w, 0, c.w, 0, 3);
        System.arraycopy(b, 0, c.b, 0, 3);
        return c;
    }

    private int actionSize() {
        return in - mean.length;
    }

    /** Discounted failure-to-go of every transition: γ^(f − t) when the episode fails at step f ≥ t, else 0. */
    static float[] targets(TransitionData d, double gamma) {
        float[] y = new float[d.size()];
        boolean[] fail = d.failures();
        for (int e = 0; e < d.episodeCount(); e++) {
            double acc = 0;
            for (int i = d.episodeEnd(e) - 1; i >= d.episodeStart(e); i--) {
                acc = Math.min(1.0, (fail[i] ? 1.0 : 0.0) + gamma * acc);
                y[i] = (float) acc;
            }
        }
        return y;
    }

    public static SafetyCritic train(TransitionData d, int hidden, int epochs, double gamma, long seed) {
        int obsN = d.observationSize();
        int actN = d.actionSize();
        float[] mean = new float[obsN];
        float[] std = new float[obsN];
        float[] obs = d.observations();
        int n = d.size();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < obsN; k++) {
                mean[k] += obs[i * obsN + k] / n;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < obsN; k++) {
                float dv = obs[i * obsN + k] - mean[k];
                std[k] += dv * dv / n;
            }
        }
        for (int k = 0; k < obsN; k++) {
            std[k] = (float) Math.max(1e-3, Math.sqrt(std[k]));
        }
        SafetyCritic c = new SafetyCritic(obsN, actN, hidden, mean, std);
        Random rnd = new Random(seed);
        int[] sizes = {c.in, hidden, hidden, 1};
        for (int l = 0; l < 3; l++) {
            c.w[l] = new float[sizes[l] * sizes[l + 1]];
            c.b[l] = new float[sizes[l + 1]];
            double scale = Math.sqrt(2.0 / sizes[l]);
            for (int j = 0; j < c.w[l].length; j++) {
                c.w[l][j] = (float) (rnd.nextGaussian() * scale);
            }
        }
        float[] y = targets(d, gamma);
        // Failures are rare: weight positive targets by the class ratio.
        double pos = 0;
        for (float v : y) {
            pos += v > 0.05 ? 1 : 0;
        }
        double posWeight = pos == 0 ? 1 : Math.min(20, (n - pos) / pos);
        new Trainer(c, sizes).fit(d, y, epochs, posWeight, rnd);
        return c;
    }

    @Override
    public double cost(float[] observation, float[] action) {
        int obsN = mean.length;
        for (int k = 0; k < obsN; k++) {
            x[k] = (observation[k] - mean[k]) / std[k];
        }
        System.arraycopy(action, 0, x, obsN, action.length);
        layer(w[0], b[0], x, h1, true);
        layer(w[1], b[1], h1, h2, true);
        float logit = b[2][0];
        for (int j = 0; j < hidden; j++) {
            logit += w[2][j] * h2[j];
        }
        return 1.0 / (1.0 + Math.exp(-logit));
    }

    private static void layer(float[] w, float[] b, float[] in, float[] out, boolean relu) {
        int nIn = in.length;
        for (int o = 0; o < out.length; o++) {
            float s = b[o];
            int base = o * nIn;
            for (int i = 0; i < nIn; i++) {
                s += w[base + i] * in[i];
            }
            out[o] = relu && s < 0 ? 0 : s;
        }
    }

    @Override
    public void costs(float[][] observations, float[][] actions, double[] out) {
        for (int i = 0; i < observations.length; i++) {
            out[i] = cost(observations[i], actions[i]);
        }
    }

    /** Whole-episode critic: no rollout horizon. */
    @Override
    public int horizonSteps() {
        return 0;
    }

    /** Minibatch Adam on weighted binary cross-entropy. */
    private static final class Trainer {
        private final SafetyCritic c;
        private final int[] sizes;
        private final float[][] gw = new float[3][];
        private final float[][] gb = new float[3][];
        private final float[][] mw = new float[3][];
        private final float[][] vw = new float[3][];
        private final float[][] mb = new float[3][];
        private final float[][] vb = new float[3][];
        private int t;

        Trainer(SafetyCritic c, int[] sizes) {
            this.c = c;
            this.sizes = sizes;
            for (int l = 0; l < 3; l++) {
                gw[l] = new float[c.w[l].length];
                gb[l] = new float[c.b[l].length];
                mw[l] = new float[c.w[l].length];
                vw[l] = new float[c.w[l].length];
                mb[l] = new float[c.b[l].length];
                vb[l] = new float[c.b[l].length];
            }
        }

        void fit(TransitionData d, float[] y, int epochs, double posWeight, Random rnd) {
            int n = d.size();
            int obsN = d.observationSize();
            int actN = d.actionSize();
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            float[] o = new float[obsN];
            float[] a = new float[actN];
            float[] d1 = new float[sizes[1]];
            float[] d2 = new float[sizes[2]];
            int batch = 64;
            for (int e = 0; e < epochs; e++) {
                for (int i = n - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    int tmp = order[i];
                    order[i] = order[j];
                    order[j] = tmp;
                }
                for (int s = 0; s < n; s += batch) {
                    int end = Math.min(n, s + batch);
                    for (int l = 0; l < 3; l++) {
                        java.util.Arrays.fill(gw[l], 0);
                        java.util.Arrays.fill(gb[l], 0);
                    }
                    for (int k = s; k < end; k++) {
                        int idx = order[k];
                        System.arraycopy(d.observations(), idx * obsN, o, 0, obsN);
                        System.arraycopy(d.actions(), idx * actN, a, 0, actN);
                        double p = c.cost(o, a);
                        double target = y[idx];
                        double weight = target > 0.05 ? posWeight : 1;
                        float g = (float) (weight * (p - target) / (end - s));
                        // output layer
                        for (int j = 0; j < sizes[2]; j++) {
                            gw[2][j] += g * c.h2[j];
                            d2[j] = c.h2[j] > 0 ? g * c.w[2][j] : 0;
                        }
                        gb[2][0] += g;
                        java.util.Arrays.fill(d1, 0);
                        for (int j = 0; j < sizes[2]; j++) {
                            if (d2[j] == 0) {
                                continue;
                            }
                            int base = j * sizes[1];
                            for (int i = 0; i < sizes[1]; i++) {
                                gw[1][base + i] += d2[j] * c.h1[i];
                                d1[i] += d2[j] * c.w[1][base + i];
                            }
                            gb[1][j] += d2[j];
                        }
                        for (int j = 0; j < sizes[1]; j++) {
                            float dj = c.h1[j] > 0 ? d1[j] : 0;
                            if (dj == 0) {
                                continue;
                            }
                            int base = j * sizes[0];
                            for (int i = 0; i < sizes[0]; i++) {
                                gw[0][base + i] += dj * c.x[i];
                            }
                            gb[0][j] += dj;
                        }
                    }
                    step(1e-3);
                }
            }
        }

        private void step(double lr) {
            t++;
            double b1 = 0.9;
            double b2 = 0.999;
            double c1 = 1 - Math.pow(b1, t);
            double c2 = 1 - Math.pow(b2, t);
            for (int l = 0; l < 3; l++) {
                adam(c.w[l], gw[l], mw[l], vw[l], lr, b1, b2, c1, c2);
                adam(c.b[l], gb[l], mb[l], vb[l], lr, b1, b2, c1, c2);
            }
        }

        private static void adam(float[] p, float[] g, float[] m, float[] v, double lr, double b1, double b2,
                double c1, double c2) {
            for (int i = 0; i < p.length; i++) {
                m[i] = (float) (b1 * m[i] + (1 - b1) * g[i]);
                v[i] = (float) (b2 * v[i] + (1 - b2) * g[i] * g[i]);
                p[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
            }
        }
    }
}
