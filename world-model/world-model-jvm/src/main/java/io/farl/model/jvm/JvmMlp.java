package io.farl.model.jvm;

import io.farl.model.api.ParameterSet;

/**
 * Plain-JVM forward pass of an {@link MlpSpec} over exported weights for a batch of rows: float arrays,
 * preallocated buffers (room for 2 rows, grown when a call needs more), no allocation per call in steady state. Weights stay input-major as exported ({@code [in, out]}), so
 * {@link Kernels#accumulate} streams contiguous rows and skips the rows of zero (post-ReLU) inputs. Not
 * thread-safe: the returned buffers are reused by the next call.
 */
public final class JvmMlp {
    static final int MAX_BATCH = 2;

    private final MlpSpec spec;
    private final Kernels k;
    private final float[][] w;
    /** The weights in a packed {@link WeightStorage}, or null for float32. */
    private final PackedWeights[] packed;
    private final float[][] b;
    private final float[][] g;
    private final float[][] beta;
    private final float[][] buf;
    private int capacity;
    private final int[] idx;

    public JvmMlp(MlpSpec spec, ParameterSet p) {
        this(spec, p, Kernels.INSTANCE);
    }

    public JvmMlp(MlpSpec spec, ParameterSet p, Kernels kernels) {
        this(spec, p, kernels, WeightStorage.FLOAT32);
    }

    /**
     * @param storage how the weight matrices are stored ({@link WeightStorage}); the first layer's float weights
     *                stay available to {@link #firstWeights} either way
     */
    public JvmMlp(MlpSpec spec, ParameterSet p, Kernels kernels, WeightStorage storage) {
        this.spec = spec;
        this.k = kernels;
        int n = spec.layerCount();
        w = new float[n][];
        b = new float[n][];
        g = new float[n][];
        beta = new float[n][];
        buf = new float[n][];
        int maxIn = 0;
        for (int l = 0; l < n; l++) {
            w[l] = p.get(spec.name(l, "w"), spec.in(l), spec.out(l)).data().clone();
            b[l] = p.get(spec.name(l, "b"), spec.out(l)).data().clone();
            if (l < spec.hiddenLayers()) {
                g[l] = p.get(spec.name(l, "g"), spec.out(l)).data().clone();
                beta[l] = p.get(spec.name(l, "beta"), spec.out(l)).data().clone();
            }
            maxIn = Math.max(maxIn, spec.in(l));
        }
        idx = new int[maxIn];
        if (storage == WeightStorage.FLOAT32) {
            packed = null;
        } else {
            packed = new PackedWeights[n];
            for (int l = 0; l < n; l++) {
                packed[l] = PackedWeights.pack(w[l], spec.in(l), spec.out(l), storage);
                if (l > 0) {
                    w[l] = null;
                }
            }
        }
        ensureRows(MAX_BATCH);
    }

    /** Grows the output buffers to hold {@code rows} rows (allocates only when they grow). */
    void ensureRows(int rows) {
        if (rows <= capacity) {
            return;
        }
        for (int l = 0; l < buf.length; l++) {
            buf[l] = new float[rows * spec.out(l)];
        }
        capacity = rows;
    }

    public MlpSpec spec() {
        return spec;
    }

    public int outputSize() {
        return spec.outputSize();
    }

    /** First-layer weights, input-major {@code [in, out]} (read-only; for fused first layers). */
    public float[] firstWeights() {
        return w[0];
    }

    public float[] firstBias() {
        return b[0];
    }

    /** Forward pass of the first {@code inputSize} values of {@code x}; returns an internal buffer. */
    public float[] forward(float[] x) {
        return forward(x, 0, spec.inputSize(), 1);
    }

    /**
     * Forward pass of {@code batch} rows at {@code x[xOff + r*xStride ..]}; returns an internal buffer holding
     * the outputs row-major with stride {@link #outputSize()}.
     */
    public float[] forward(float[] x, int xOff, int xStride, int batch) {
        ensureRows(batch);
        return run(0, x, xOff, xStride, batch);
    }

    /**
     * Continues from the first layer's pre-activation (bias included) computed elsewhere, at
     * {@code pre[preOff + r*preStride ..]}; needs at least one hidden layer. Returns like {@link #forward}.
     */
    public float[] continueFromFirst(float[] pre, int preOff, int preStride, int batch) {
        ensureRows(batch);
        int n0 = spec.out(0);
        float[] h = buf[0];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(pre, preOff + r * preStride, h, r * n0, n0);
            k.layerNormRelu(h, r * n0, n0, g[0], beta[0]);
        }
        return run(1, h, 0, n0, batch);
    }

    private float[] run(int first, float[] x, int xOff, int xStride, int batch) {
        float[] in = x;
        int inOff = xOff;
        int inStride = xStride;
        for (int l = first; l < w.length; l++) {
            float[] out = buf[l];
            int nOut = spec.out(l);
            for (int r = 0; r < batch; r++) {
                System.arraycopy(b[l], 0, out, r * nOut, nOut);
            }
            if (packed != null) {
                packed[l].accumulate(k, 0, spec.in(l), nOut, in, inOff, inStride, batch, out, 0, nOut, idx);
            } else {
                k.accumulate(w[l], 0, nOut, spec.in(l), nOut, in, inOff, inStride, batch, out, 0, nOut, idx);
            }
            if (l < spec.hiddenLayers()) {
                for (int r = 0; r < batch; r++) {
                    k.layerNormRelu(out, r * nOut, nOut, g[l], beta[l]);
                }
            }
            in = out;
            inOff = 0;
            inStride = nOut;
        }
        if (spec.simNormGroup() > 0) {
            for (int r = 0; r < batch; r++) {
                Kernels.simNorm(in, r * spec.outputSize(), spec.outputSize(), spec.simNormGroup());
            }
        }
        return in;
    }
}
