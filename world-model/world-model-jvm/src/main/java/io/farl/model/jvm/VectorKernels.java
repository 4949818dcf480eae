package io.farl.model.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on {@code jdk.incubator.vector} (the preferred species: 16 floats with AVX-512, 8 with AVX2).
 * Loaded reflectively by {@link Kernels#INSTANCE} only when the module is in the boot layer. Until C2 has
 * compiled these methods, vector objects are really allocated and calls are slow: warm up before timing.
 */
final class VectorKernels extends Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    void accumulate(float[] w, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff, int xStride,
            int batch, float[] out, int outOff, int outStride, int[] idx) {
        if (batch > 2) {
            accumulateTiles(w, wOff, rowStride, nIn, nOut, x, xOff, xStride, batch, out, outOff, outStride, idx);
            return;
        }
        int m = nonZeroRows(x, xOff, xStride, nIn, batch, idx);
        int vEnd = nOut - nOut % L;
        if (batch == 2) {
            accumulate2(w, wOff, rowStride, nOut, vEnd, x, xOff, xOff + xStride, out, outOff, outOff + outStride, idx, m);
            return;
        }
        int k = 0;
        // four input rows per pass: the output row is loaded and stored a quarter as often
        for (; k + 4 <= m; k += 4) {
            int i0 = idx[k];
            int i1 = idx[k + 1];
            int i2 = idx[k + 2];
            int i3 = idx[k + 3];
            float x0 = x[xOff + i0];
            float x1 = x[xOff + i1];
            float x2 = x[xOff + i2];
            float x3 = x[xOff + i3];
            int r0 = wOff + i0 * rowStride;
            int r1 = wOff + i1 * rowStride;
            int r2 = wOff + i2 * rowStride;
            int r3 = wOff + i3 * rowStride;
            FloatVector v0 = FloatVector.broadcast(S, x0);
            FloatVector v1 = FloatVector.broadcast(S, x1);
            FloatVector v2 = FloatVector.broadcast(S, x2);
            FloatVector v3 = FloatVector.broadcast(S, x3);
            int j = 0;
            for (; j < vEnd; j += L) {
                FloatVector o = FloatVector.fromArray(S, out, outOff + j);
                FloatVector p = FloatVector.fromArray(S, w, r2 + j).mul(v2);
                o = FloatVector.fromArray(S, w, r0 + j).fma(v0, o);
                p = FloatVector.fromArray(S, w, r3 + j).fma(v3, p);
                o = FloatVector.fromArray(S, w, r1 + j).fma(v1, o);
                o.add(p).intoArray(out, outOff + j);
            }
            for (; j < nOut; j++) {
                out[outOff + j] += x0 * w[r0 + j] + x1 * w[r1 + j] + x2 * w[r2 + j] + x3 * w[r3 + j];
            }
        }
        for (; k < m; k++) {
            int i = idx[k];
            float xi = x[xOff + i];
            int r = wOff + i * rowStride;
            FloatVector v = FloatVector.broadcast(S, xi);
            int j = 0;
            for (; j < vEnd; j += L) {
                FloatVector.fromArray(S, w, r + j).fma(v, FloatVector.fromArray(S, out, outOff + j))
                        .intoArray(out, outOff + j);
            }
            for (; j < nOut; j++) {
                out[outOff + j] += xi * w[r + j];
            }
        }
    }

    /** Two batch rows: every weight vector loaded once feeds both. */
    private static void accumulate2(float[] w, int wOff, int rowStride, int nOut, int vEnd, float[] x, int xa,
            int xb, float[] out, int oa, int ob, int[] idx, int m) {
        int k = 0;
        for (; k + 2 <= m; k += 2) {
            int i0 = idx[k];
            int i1 = idx[k + 1];
            float a0 = x[xa + i0];
            float a1 = x[xa + i1];
            float b0 = x[xb + i0];
            float b1 = x[xb + i1];
            int r0 = wOff + i0 * rowStride;
            int r1 = wOff + i1 * rowStride;
            FloatVector va0 = FloatVector.broadcast(S, a0);
            FloatVector va1 = FloatVector.broadcast(S, a1);
            FloatVector vb0 = FloatVector.broadcast(S, b0);
            FloatVector vb1 = FloatVector.broadcast(S, b1);
            int j = 0;
            for (; j < vEnd; j += L) {
                FloatVector w0 = FloatVector.fromArray(S, w, r0 + j);
                FloatVector w1 = FloatVector.fromArray(S, w, r1 + j);
                w1.fma(va1, w0.fma(va0, FloatVector.fromArray(S, out, oa + j))).intoArray(out, oa + j);
                w1.fma(vb1, w0.fma(vb0, FloatVector.fromArray(S, out, ob + j))).intoArray(out, ob + j);
            }
            for (; j < nOut; j++) {
                out[oa + j] += a0 * w[r0 + j] + a1 * w[r1 + j];
                out[ob + j] += b0 * w[r0 + j] + b1 * w[r1 + j];
            }
        }
        for (; k < m; k++) {
            int i = idx[k];
            float a = x[xa + i];
            float b = x[xb + i];
            int r = wOff + i * rowStride;
            FloatVector va = FloatVector.broadcast(S, a);
            FloatVector vb = FloatVector.broadcast(S, b);
            int j = 0;
            for (; j < vEnd; j += L) {
                FloatVector wv = FloatVector.fromArray(S, w, r + j);
                wv.fma(va, FloatVector.fromArray(S, out, oa + j)).intoArray(out, oa + j);
                wv.fma(vb, FloatVector.fromArray(S, out, ob + j)).intoArray(out, ob + j);
            }
            for (; j < nOut; j++) {
                out[oa + j] += a * w[r + j];
                out[ob + j] += b * w[r + j];
            }
        }
    }

    /**
     * More than 2 rows: tiles of 4 rows (the inputs zero in all 4 skipped), each weight vector loaded once per tile
     * and feeding 4 rows' accumulators held in registers over the whole input; a last tile of 1 to 3 rows goes
     * through the 1- and 2-row paths.
     */
    private void accumulateTiles(float[] w, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff,
            int xStride, int batch, float[] out, int outOff, int outStride, int[] idx) {
        int vEnd = nOut - nOut % L;
        int b = 0;
        for (; b + 4 <= batch; b += 4) {
            int xo = xOff + b * xStride;
            int m = nonZeroRows(x, xo, xStride, nIn, 4, idx);
            accumulate4(w, wOff, rowStride, nOut, vEnd, x, xo, xStride, out, outOff + b * outStride, outStride, idx, m);
        }
        while (b < batch) {
            int rows = Math.min(2, batch - b);
            accumulate(w, wOff, rowStride, nIn, nOut, x, xOff + b * xStride, xStride, rows, out,
                    outOff + b * outStride, outStride, idx);
            b += rows;
        }
    }

    /**
     * Four batch rows: four input rows per pass streamed row-contiguously, each weight vector loaded once and fed
     * to the four outputs (the 16 broadcast inputs held in registers across the pass).
     */
    private static void accumulate4(float[] w, int wOff, int rowStride, int nOut, int vEnd, float[] x, int x0,
            int xStride, float[] out, int o0, int outStride, int[] idx, int m) {
        int k = 0;
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        int o1 = o0 + outStride;
        int o2 = o1 + outStride;
        int o3 = o2 + outStride;
        for (; k + 4 <= m; k += 4) {
            int i0 = idx[k];
            int i1 = idx[k + 1];
            int i2 = idx[k + 2];
            int i3 = idx[k + 3];
            int r0 = wOff + i0 * rowStride;
            int r1 = wOff + i1 * rowStride;
            int r2 = wOff + i2 * rowStride;
            int r3 = wOff + i3 * rowStride;
            FloatVector a0 = FloatVector.broadcast(S, x[x0 + i0]);
            FloatVector a1 = FloatVector.broadcast(S, x[x0 + i1]);
            FloatVector a2 = FloatVector.broadcast(S, x[x0 + i2]);
            FloatVector a3 = FloatVector.broadcast(S, x[x0 + i3]);
            FloatVector b0 = FloatVector.broadcast(S, x[x1 + i0]);
            FloatVector b1 = FloatVector.broadcast(S, x[x1 + i1]);
            FloatVector b2 = FloatVector.broadcast(S, x[x1 + i2]);
            FloatVector b3 = FloatVector.broadcast(S, x[x1 + i3]);
            FloatVector c0 = FloatVector.broadcast(S, x[x2 + i0]);
            FloatVector c1 = FloatVector.broadcast(S, x[x2 + i1]);
            FloatVector c2 = FloatVector.broadcast(S, x[x2 + i2]);
            FloatVector c3 = FloatVector.broadcast(S, x[x2 + i3]);
            FloatVector d0 = FloatVector.broadcast(S, x[x3 + i0]);
            FloatVector d1 = FloatVector.broadcast(S, x[x3 + i1]);
            FloatVector d2 = FloatVector.broadcast(S, x[x3 + i2]);
            FloatVector d3 = FloatVector.broadcast(S, x[x3 + i3]);
            int j = 0;
            for (; j < vEnd; j += L) {
                FloatVector w0 = FloatVector.fromArray(S, w, r0 + j);
                FloatVector w1 = FloatVector.fromArray(S, w, r1 + j);
                FloatVector w2 = FloatVector.fromArray(S, w, r2 + j);
                FloatVector w3 = FloatVector.fromArray(S, w, r3 + j);
                w3.fma(a3, w2.fma(a2, w1.fma(a1, w0.fma(a0, FloatVector.fromArray(S, out, o0 + j)))))
                        .intoArray(out, o0 + j);
                w3.fma(b3, w2.fma(b2, w1.fma(b1, w0.fma(b0, FloatVector.fromArray(S, out, o1 + j)))))
                        .intoArray(out, o1 + j);
                w3.fma(c3, w2.fma(c2, w1.fma(c1, w0.fma(c0, FloatVector.fromArray(S, out, o2 + j)))))
                        .intoArray(out, o2 + j);
                w3.fma(d3, w2.fma(d2, w1.fma(d1, w0.fma(d0, FloatVector.fromArray(S, out, o3 + j)))))
                        .intoArray(out, o3 + j);
            }
            for (; j < nOut; j++) {
                for (int b = 0; b < 4; b++) {
                    int xb = x0 + b * xStride;
                    out[o0 + b * outStride + j] += x[xb + i0] * w[r0 + j] + x[xb + i1] * w[r1 + j]
                            + x[xb + i2] * w[r2 + j] + x[xb + i3] * w[r3 + j];
                }
            }
        }
        accumulateSingles(w, wOff, rowStride, nOut, vEnd, x, x0, xStride, out, o0, outStride, idx, k, m);
    }

    /** The last input rows (fewer than 4) of {@link #accumulate4}, one at a time for the four batch rows. */
    private static void accumulateSingles(float[] w, int wOff, int rowStride, int nOut, int vEnd, float[] x, int x0,
            int xStride, float[] out, int o0, int outStride, int[] idx, int k0, int m) {
        for (int k = k0; k < m; k++) {
            int i = idx[k];
            int r = wOff + i * rowStride;
            for (int b = 0; b < 4; b++) {
                float xi = x[x0 + b * xStride + i];
                int ob = o0 + b * outStride;
                FloatVector v = FloatVector.broadcast(S, xi);
                int j = 0;
                for (; j < vEnd; j += L) {
                    FloatVector.fromArray(S, w, r + j).fma(v, FloatVector.fromArray(S, out, ob + j))
                            .intoArray(out, ob + j);
                }
                for (; j < nOut; j++) {
                    out[ob + j] += xi * w[r + j];
                }
            }
        }
    }

    @Override
    void accumulateHalf(short[] w, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff, int xStride,
            int batch, float[] out, int outOff, int outStride, int[] idx) {
        VectorPackedKernels.accumulateHalf(w, wOff, rowStride, nIn, nOut, x, xOff, xStride, batch, out, outOff,
                outStride, idx);
    }

    @Override
    void accumulateInt8(byte[] w, float[] scale, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff,
            int xStride, int batch, float[] out, int outOff, int outStride, int[] idx) {
        VectorPackedKernels.accumulateInt8(w, scale, wOff, rowStride, nIn, nOut, x, xOff, xStride, batch, out, outOff,
                outStride, idx);
    }

    @Override
    void layerNormRelu(float[] x, int off, int n, float[] gain, float[] bias) {
        int vEnd = n - n % L;
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i < vEnd; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x[off + i];
        }
        float mean = s / n;
        FloatVector vm = FloatVector.broadcast(S, mean);
        FloatVector sq = FloatVector.zero(S);
        for (i = 0; i < vEnd; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(vm);
            sq = d.fma(d, sq);
        }
        float q = sq.reduceLanes(VectorOperators.ADD);
        for (i = vEnd; i < n; i++) {
            float d = x[off + i] - mean;
            q += d * d;
        }
        float inv = (float) (1.0 / Math.sqrt(q / n + MlpSpec.LN_EPS));
        FloatVector vi = FloatVector.broadcast(S, inv);
        FloatVector zero = FloatVector.zero(S);
        for (i = 0; i < vEnd; i += L) {
            FloatVector y = FloatVector.fromArray(S, x, off + i).sub(vm).mul(vi)
                    .fma(FloatVector.fromArray(S, gain, i), FloatVector.fromArray(S, bias, i));
            y.max(zero).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            float y = (x[off + i] - mean) * inv * gain[i] + bias[i];
            x[off + i] = y > 0f ? y : 0f;
        }
    }
}
