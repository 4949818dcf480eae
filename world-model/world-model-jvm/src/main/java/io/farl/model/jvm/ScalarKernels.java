package io.farl.model.jvm;

/** Plain-loop {@link Kernels}: the fallback when {@code jdk.incubator.vector} is not in the boot layer. */
final class ScalarKernels extends Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    void accumulate(float[] w, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff, int xStride,
            int batch, float[] out, int outOff, int outStride, int[] idx) {
        int m = nonZeroRows(x, xOff, xStride, nIn, batch, idx);
        for (int b = 0; b < batch; b++) {
            int xo = xOff + b * xStride;
            int oo = outOff + b * outStride;
            int k = 0;
            // four input rows per pass: a quarter of the loads and stores of the output row
            for (; k + 4 <= m; k += 4) {
                int i0 = idx[k];
                int i1 = idx[k + 1];
                int i2 = idx[k + 2];
                int i3 = idx[k + 3];
                float x0 = x[xo + i0];
                float x1 = x[xo + i1];
                float x2 = x[xo + i2];
                float x3 = x[xo + i3];
                int r0 = wOff + i0 * rowStride;
                int r1 = wOff + i1 * rowStride;
                int r2 = wOff + i2 * rowStride;
                int r3 = wOff + i3 * rowStride;
                for (int j = 0; j < nOut; j++) {
                    out[oo + j] += x0 * w[r0 + j] + x1 * w[r1 + j] + x2 * w[r2 + j] + x3 * w[r3 + j];
                }
            }
            for (; k < m; k++) {
                int i = idx[k];
                float xi = x[xo + i];
                int r = wOff + i * rowStride;
                for (int j = 0; j < nOut; j++) {
                    out[oo + j] += xi * w[r + j];
                }
            }
        }
    }

    @Override
    void layerNormRelu(float[] x, int off, int n, float[] gain, float[] bias) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += x[off + i];
            s1 += x[off + i + 1];
            s2 += x[off + i + 2];
            s3 += x[off + i + 3];
        }
        for (; i < n; i++) {
            s0 += x[off + i];
        }
        float mean = ((s0 + s1) + (s2 + s3)) / n;
        float q0 = 0;
        float q1 = 0;
        float q2 = 0;
        float q3 = 0;
        i = 0;
        for (; i + 4 <= n; i += 4) {
            float d0 = x[off + i] - mean;
            float d1 = x[off + i + 1] - mean;
            float d2 = x[off + i + 2] - mean;
            float d3 = x[off + i + 3] - mean;
            q0 += d0 * d0;
            q1 += d1 * d1;
            q2 += d2 * d2;
            q3 += d3 * d3;
        }
        for (; i < n; i++) {
            float d = x[off + i] - mean;
            q0 += d * d;
        }
        float inv = (float) (1.0 / Math.sqrt(((q0 + q1) + (q2 + q3)) / n + MlpSpec.LN_EPS));
        for (i = 0; i < n; i++) {
            // Math.max keeps NaN (a fault must surface, not turn into 0)
            x[off + i] = Math.max((x[off + i] - mean) * inv * gain[i] + bias[i], 0f);
        }
    }
}
