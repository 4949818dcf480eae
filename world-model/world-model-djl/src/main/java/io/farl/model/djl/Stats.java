package io.farl.model.djl;

import io.farl.model.jvm.TanhGaussian;
import ai.djl.ndarray.NDArray;

/** Small numeric helpers shared by the trainers. */
final class Stats {
    static final float MIN_STD = 1e-2f;

    private Stats() {
    }

    /** Per-column mean of a row-major {@code [rows, width]} array. */
    static float[] mean(float[] rows, int width) {
        int n = rows.length / width;
        double[] s = new double[width];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                s[j] += rows[i * width + j];
            }
        }
        float[] m = new float[width];
        for (int j = 0; j < width; j++) {
            m[j] = (float) (s[j] / Math.max(1, n));
        }
        return m;
    }

    /** Per-column standard deviation, floored at {@link #MIN_STD} so constant inputs do not blow up. */
    static float[] std(float[] rows, int width, float[] mean) {
        int n = rows.length / width;
        double[] s = new double[width];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                double d = rows[i * width + j] - mean[j];
                s[j] += d * d;
            }
        }
        float[] sd = new float[width];
        for (int j = 0; j < width; j++) {
            sd[j] = (float) Math.max(MIN_STD, Math.sqrt(s[j] / Math.max(1, n)));
        }
        return sd;
    }

    /** Numerically stable softplus log(1 + e^x). */
    static NDArray softplus(NDArray x) {
        return x.abs().neg().exp().add(1f).log().add(NdArrays.relu(x));
    }

    /**
     * Log-density of {@code action} (in (-1, 1)) under a tanh-squashed diagonal Gaussian with pre-tanh
     * {@code mean} and {@code logStd}, summed over the last axis: shape [batch].
     */
    static NDArray tanhGaussianLogProb(NDArray mean, NDArray logStd, NDArray action) {
        return tanhGaussianLogProb(mean, logStd, action, Float.POSITIVE_INFINITY);
    }

    /**
     * As {@link #tanhGaussianLogProb(NDArray, NDArray, NDArray)} with the standardised residual clipped to
     * ±{@code zLimit}: a training loss for a prior that must not receive unbounded gradients from an action far
     * off its current mode (the gradient is zero beyond the limit instead of growing with it).
     */
    static NDArray tanhGaussianLogProb(NDArray mean, NDArray logStd, NDArray action, float zLimit) {
        NDArray a = action.clip(-TanhGaussian.ACTION_LIMIT, TanhGaussian.ACTION_LIMIT);
        NDArray u = NdArrays.mul(a.add(1f).div(a.neg().add(1f)).log(), 0.5f); // atanh is not implemented on PyTorch
        NDArray z = u.sub(mean).div(logStd.exp());
        if (Float.isFinite(zLimit)) {
            z = z.clip(-zLimit, zLimit);
        }
        NDArray logN = NdArrays.mul(z.square(), -0.5f).sub(logStd).sub((float) (0.5 * Math.log(2 * Math.PI)));
        NDArray jac = a.square().neg().add(1f + TanhGaussian.JACOBIAN_EPS).log();
        return logN.sub(jac).sum(new int[] {-1});
    }
}
