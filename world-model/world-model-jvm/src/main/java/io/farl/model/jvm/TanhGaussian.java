package io.farl.model.jvm;

import java.util.Random;

/**
 * Plain-JVM arithmetic of the tanh-squashed diagonal Gaussian used by every policy: sampling, log-density of
 * a given action, and the mean action. Matches {@link Stats#tanhGaussianLogProb} exactly.
 */
public final class TanhGaussian {
    /** Actions are clipped to ±this before atanh so recorded ±1 actions have finite density. */
    public static final float ACTION_LIMIT = 0.999f;
    public static final float JACOBIAN_EPS = 1e-6f;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private TanhGaussian() {
    }

    /** Log-density of {@code action} given pre-tanh {@code mean} and {@code logStd}. */
    public static double logProb(float[] mean, float[] logStd, float[] action) {
        double lp = 0;
        for (int i = 0; i < mean.length; i++) {
            float a = Math.max(-ACTION_LIMIT, Math.min(ACTION_LIMIT, action[i]));
            double u = 0.5 * Math.log((1.0 + a) / (1.0 - a));
            double z = (u - mean[i]) / Math.exp(logStd[i]);
            lp += -0.5 * z * z - logStd[i] - HALF_LOG_2PI - Math.log(1.0 - (double) a * a + JACOBIAN_EPS);
        }
        return lp;
    }

    /** Samples into {@code out}; returns its log-density. */
    public static double sample(float[] mean, float[] logStd, Random rnd, float[] out) {
        for (int i = 0; i < mean.length; i++) {
            out[i] = (float) Math.tanh(mean[i] + Math.exp(logStd[i]) * rnd.nextGaussian());
        }
        return logProb(mean, logStd, out);
    }

    /** Writes tanh(mean) into {@code out}. */
    public static void meanAction(float[] mean, float[] out) {
        for (int i = 0; i < mean.length; i++) {
            out[i] = (float) Math.tanh(mean[i]);
        }
    }
}
