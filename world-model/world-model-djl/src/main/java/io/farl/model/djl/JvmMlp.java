package io.farl.model.djl;

import io.farl.model.api.ParameterSet;

/**
 * Plain-JVM forward pass of an {@link MlpSpec} over exported weights: float arrays, preallocated buffers, no
 * allocation per call. The inner loop streams weight rows ({@code out += x_i * W[i, :]}), which the JIT
 * vectorises. Not thread-safe: the returned buffer is reused by the next call.
 */
final class JvmMlp {
    private final MlpSpec spec;
    private final float[][] w;
    private final float[][] b;
    private final float[][] g;
    private final float[][] beta;
    private final float[][] buf;

    JvmMlp(MlpSpec spec, ParameterSet p) {
        this.spec = spec;
        int n = spec.layerCount();
        w = new float[n][];
        b = new float[n][];
        g = new float[n][];
        beta = new float[n][];
        buf = new float[n][];
        for (int l = 0; l < n; l++) {
            w[l] = p.get(spec.name(l, "w"), spec.in(l), spec.out(l)).data().clone();
            b[l] = p.get(spec.name(l, "b"), spec.out(l)).data().clone();
            if (l < spec.hiddenLayers()) {
                g[l] = p.get(spec.name(l, "g"), spec.out(l)).data().clone();
                beta[l] = p.get(spec.name(l, "beta"), spec.out(l)).data().clone();
            }
            buf[l] = new float[spec.out(l)];
        }
    }

    int outputSize() {
        return spec.outputSize();
    }

    /** Forward pass of the first {@code inputSize} values of {@code x}; returns an internal buffer. */
    float[] forward(float[] x) {
        float[] in = x;
        for (int l = 0; l < w.length; l++) {
            float[] out = buf[l];
            int nIn = spec.in(l);
            int nOut = out.length;
            float[] wl = w[l];
            System.arraycopy(b[l], 0, out, 0, nOut);
            for (int i = 0; i < nIn; i++) {
                float xi = in[i];
                if (xi == 0f) {
                    continue;
                }
                int row = i * nOut;
                for (int j = 0; j < nOut; j++) {
                    out[j] += xi * wl[row + j];
                }
            }
            if (l < spec.hiddenLayers()) {
                layerNormRelu(out, g[l], beta[l]);
            }
            in = out;
        }
        if (spec.simNormGroup() > 0) {
            simNorm(in, spec.simNormGroup());
        }
        return in;
    }

    private static void layerNormRelu(float[] x, float[] gain, float[] bias) {
        int n = x.length;
        double s = 0;
        for (float v : x) {
            s += v;
        }
        float mean = (float) (s / n);
        double sq = 0;
        for (float v : x) {
            float d = v - mean;
            sq += d * d;
        }
        float inv = (float) (1.0 / Math.sqrt(sq / n + MlpSpec.LN_EPS));
        for (int i = 0; i < n; i++) {
            float y = (x[i] - mean) * inv * gain[i] + bias[i];
            x[i] = y > 0f ? y : 0f;
        }
    }

    static void simNorm(float[] x, int group) {
        for (int s = 0; s < x.length; s += group) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = s; i < s + group; i++) {
                max = Math.max(max, x[i]);
            }
            float sum = 0;
            for (int i = s; i < s + group; i++) {
                float e = (float) Math.exp(x[i] - max);
                x[i] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int i = s; i < s + group; i++) {
                x[i] *= inv;
            }
        }
    }
}
