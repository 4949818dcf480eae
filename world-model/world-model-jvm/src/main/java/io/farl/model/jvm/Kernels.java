package io.farl.model.jvm;

import org.slf4j.LoggerFactory;

/**
 * The numeric kernels of the plain-JVM forward pass. Two implementations give the same results up to float
 * rounding: {@link VectorKernels} (SIMD through the incubating {@code jdk.incubator.vector} module; JDK 17's C2
 * does not auto-vectorise these loops because it cannot prove the weight and output arrays distinct) and
 * {@link ScalarKernels} (plain loops, several accumulators). {@link #INSTANCE} is the vector one when the JVM
 * was started with {@code --add-modules jdk.incubator.vector}, else the scalar one. Stateless and thread-safe.
 */
public abstract class Kernels {
    /** The vector kernels when the JVM has the module, else the scalar ones. */
    public static final Kernels INSTANCE = select();

    /** The scalar kernels, whatever the JVM has (for comparisons). */
    public static Kernels scalar() {
        return new ScalarKernels();
    }

    private static Kernels select() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (Kernels) Class.forName("io.farl.model.jvm.VectorKernels").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                LoggerFactory.getLogger(Kernels.class).warn("vector kernels unavailable, using scalar ones: {}", e.toString());
            }
        }
        LoggerFactory.getLogger(Kernels.class).info("plain-JVM forward pass on scalar kernels; start the JVM with "
                + "--add-modules jdk.incubator.vector for SIMD (about 3x faster)");
        return new ScalarKernels();
    }

    /** Short name for logs and benchmark reports, e.g. "vector-512" or "scalar". */
    public abstract String name();

    /**
     * Accumulates a matrix-vector product for a batch of rows, skipping inputs that are zero in every row (half of
     * a ReLU layer's outputs at batch 1):
     * {@code out[outOff + b*outStride + j] += Σ_i x[xOff + b*xStride + i] * w[wOff + i*rowStride + j]} for
     * {@code b < batch}, {@code i < nIn}, {@code j < nOut}. Weights are input-major, so the inner loop streams
     * contiguous weight rows; {@code rowStride >= nOut} lets a caller use a column slice of a wider (fused)
     * matrix. Batches of more than 2 rows run in tiles of 4 rows that load every weight vector once for the
     * tile (the vector kernels).
     *
     * @param idx scratch of at least {@code nIn} ints
     */
    abstract void accumulate(float[] w, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff, int xStride,
            int batch, float[] out, int outOff, int outStride, int[] idx);

    /**
     * As {@link #accumulate}, with weights stored as IEEE half-float bits ({@link WeightStorage#FLOAT16}); float
     * accumulation. This scalar version runs one batch row at a time.
     */
    void accumulateHalf(short[] w, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff, int xStride,
            int batch, float[] out, int outOff, int outStride, int[] idx) {
        for (int b = 0; b < batch; b++) {
            int xo = xOff + b * xStride;
            int oo = outOff + b * outStride;
            int m = nonZeroRows(x, xo, xStride, nIn, 1, idx);
            for (int k = 0; k < m; k++) {
                int i = idx[k];
                float xi = x[xo + i];
                int r = wOff + i * rowStride;
                for (int j = 0; j < nOut; j++) {
                    out[oo + j] += xi * PackedWeights.toFloat(w[r + j]);
                }
            }
        }
    }

    /**
     * As {@link #accumulate}, with int8 weights {@code w[i, j] * scale[i]} ({@link WeightStorage#INT8}; the scale
     * of input row i folds into x_i); float accumulation. This scalar version runs one batch row at a time.
     */
    void accumulateInt8(byte[] w, float[] scale, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff,
            int xStride, int batch, float[] out, int outOff, int outStride, int[] idx) {
        for (int b = 0; b < batch; b++) {
            int xo = xOff + b * xStride;
            int oo = outOff + b * outStride;
            int m = nonZeroRows(x, xo, xStride, nIn, 1, idx);
            for (int k = 0; k < m; k++) {
                int i = idx[k];
                float xi = x[xo + i] * scale[i];
                int r = wOff + i * rowStride;
                for (int j = 0; j < nOut; j++) {
                    out[oo + j] += xi * w[r + j];
                }
            }
        }
    }

    /** In place: {@code x = relu(layerNorm(x) * gain + bias)} over {@code x[off .. off+n)}. */
    abstract void layerNormRelu(float[] x, int off, int n, float[] gain, float[] bias);

    /** Gathers the inputs that are non-zero in some batch row; returns their count. */
    static int nonZeroRows(float[] x, int xOff, int xStride, int nIn, int batch, int[] idx) {
        int m = 0;
        if (batch == 1) {
            for (int i = 0; i < nIn; i++) {
                if (x[xOff + i] != 0f) {
                    idx[m++] = i;
                }
            }
        } else if (batch == 2) {
            int o2 = xOff + xStride;
            for (int i = 0; i < nIn; i++) {
                if (x[xOff + i] != 0f || x[o2 + i] != 0f) {
                    idx[m++] = i;
                }
            }
        } else {
            for (int i = 0; i < nIn; i++) {
                for (int b = 0, o = xOff + i; b < batch; b++, o += xStride) {
                    if (x[o] != 0f) {
                        idx[m++] = i;
                        break;
                    }
                }
            }
        }
        return m;
    }

    /** SimNorm: softmax within consecutive groups of {@code group} units of {@code x[off .. off+n)}. */
    static void simNorm(float[] x, int off, int n, int group) {
        for (int s = off; s < off + n; s += group) {
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
