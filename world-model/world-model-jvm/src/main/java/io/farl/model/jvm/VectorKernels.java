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

    private static void accumulate4(float[] w, int wOff, int rowStride, int nOut, int vEnd, float[] x, int x0,
            int xStride, float[] out, int o0, int outStride, int[] idx, int m) {
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        int o1 = o0 + outStride;
        int o2 = o1 + outStride;
        int o3 = o2 + outStride;
        int j = 0;
        for (; j + 2 * L <= vEnd; j += 2 * L) {
            FloatVector a0 = FloatVector.fromArray(S, out, o0 + j);
            FloatVector b0 = FloatVector.fromArray(S, out, o0 + j + L);
            FloatVector a1 = FloatVector.fromArray(S, out, o1 + j);
            FloatVector b1 = FloatVector.fromArray(S, out, o1 + j + L);
            FloatVector a2 = FloatVector.fromArray(S, out, o2 + j);
            FloatVector b2 = FloatVector.fromArray(S, out, o2 + j + L);
            FloatVector a3 = FloatVector.fromArray(S, out, o3 + j);
            FloatVector b3 = FloatVector.fromArray(S, out, o3 + j + L);
            for (int k = 0; k < m; k++) {
                int i = idx[k];
                int r = wOff + i * rowStride + j;
                FloatVector wa = FloatVector.fromArray(S, w, r);
                FloatVector wb = FloatVector.fromArray(S, w, r + L);
                FloatVector v = FloatVector.broadcast(S, x[x0 + i]);
                a0 = wa.fma(v, a0);
                b0 = wb.fma(v, b0);
                v = FloatVector.broadcast(S, x[x1 + i]);
                a1 = wa.fma(v, a1);
                b1 = wb.fma(v, b1);
                v = FloatVector.broadcast(S, x[x2 + i]);
                a2 = wa.fma(v, a2);
                b2 = wb.fma(v, b2);
                v = FloatVector.broadcast(S, x[x3 + i]);
                a3 = wa.fma(v, a3);
                b3 = wb.fma(v, b3);
            }
            a0.intoArray(out, o0 + j);
            b0.intoArray(out, o0 + j + L);
            a1.intoArray(out, o1 + j);
            b1.intoArray(out, o1 + j + L);
            a2.intoArray(out, o2 + j);
            b2.intoArray(out, o2 + j + L);
            a3.intoArray(out, o3 + j);
            b3.intoArray(out, o3 + j + L);
        }
        for (; j < vEnd; j += L) {
            FloatVector a0 = FloatVector.fromArray(S, out, o0 + j);
            FloatVector a1 = FloatVector.fromArray(S, out, o1 + j);
            FloatVector a2 = FloatVector.fromArray(S, out, o2 + j);
            FloatVector a3 = FloatVector.fromArray(S, out, o3 + j);
            for (int k = 0; k < m; k++) {
                int i = idx[k];
                FloatVector wa = FloatVector.fromArray(S, w, wOff + i * rowStride + j);
                a0 = wa.fma(FloatVector.broadcast(S, x[x0 + i]), a0);
                a1 = wa.fma(FloatVector.broadcast(S, x[x1 + i]), a1);
                a2 = wa.fma(FloatVector.broadcast(S, x[x2 + i]), a2);
                a3 = wa.fma(FloatVector.broadcast(S, x[x3 + i]), a3);
            }
            a0.intoArray(out, o0 + j);
            a1.intoArray(out, o1 + j);
            a2.intoArray(out, o2 + j);
            a3.intoArray(out, o3 + j);
        }
        for (; j < nOut; j++) {
            float s0 = out[o0 + j];
            float s1 = out[o1 + j];
            float s2 = out[o2 + j];
            float s3 = out[o3 + j];
            for (int k = 0; k < m; k++) {
                int i = idx[k];
                float wv = w[wOff + i * rowStride + j];
                s0 += x[x0 + i] * wv;
                s1 += x[x1 + i] * wv;
                s2 += x[x2 + i] * wv;
                s3 += x[x3 + i] * wv;
            }
            out[o0 + j] = s0;
            out[o1 + j] = s1;
            out[o2 + j] = s2;
            out[o3 + j] = s3;
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
