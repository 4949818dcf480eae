package io.farl.model.jvm;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link WeightStorage#FLOAT16} and {@link WeightStorage#INT8} kernels on {@code jdk.incubator.vector}: one
 * vector of packed weights is widened to a float vector in registers (half: sign-extend, shift, mask, multiply by
 * 2^112 to rebias; int8: widen and convert), then accumulated as in {@link VectorKernels}. One
 * batch row at a time, two input rows per pass.
 */
final class VectorPackedKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Short> HS = VectorSpecies.of(short.class, VectorShape.forBitSize(16 * L));
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, S.vectorShape());
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * L));

    private VectorPackedKernels() {
    }

    /**
     * Half bits to floats: sign-extended to int, {@code h << 13} puts the exponent and mantissa in place and a copy of
     * the sign in bit 31, the mask clears the other sign copies, and multiplying by 2^112 rebiases the exponent
     * (exact for normal and subnormal halves; the sign survives the multiplication).
     */
    static FloatVector half(short[] w, int off) {
        IntVector h = (IntVector) ShortVector.fromArray(HS, w, off).convertShape(VectorOperators.S2I, IS, 0);
        return h.lanewise(VectorOperators.LSHL, 13).and(0x8FFF_E000).reinterpretAsFloats().mul(0x1p112f);
    }

    static FloatVector int8(byte[] w, int off) {
        return (FloatVector) ByteVector.fromArray(BS, w, off).convertShape(VectorOperators.B2F, S, 0);
    }

    static void accumulateHalf(short[] w, int wOff, int rowStride, int nIn, int nOut, float[] x, int xOff,
            int xStride, int batch, float[] out, int outOff, int outStride, int[] idx) {
        int vEnd = nOut - nOut % L;
        for (int b = 0; b < batch; b++) {
            int xo = xOff + b * xStride;
            int oo = outOff + b * outStride;
            int m = Kernels.nonZeroRows(x, xo, xStride, nIn, 1, idx);
            int k = 0;
            for (; k + 2 <= m; k += 2) {
                int i0 = idx[k];
                int i1 = idx[k + 1];
                float x0 = x[xo + i0];
                float x1 = x[xo + i1];
                int r0 = wOff + i0 * rowStride;
                int r1 = wOff + i1 * rowStride;
                FloatVector v0 = FloatVector.broadcast(S, x0);
                FloatVector v1 = FloatVector.broadcast(S, x1);
                int j = 0;
                for (; j < vEnd; j += L) {
                    FloatVector o = half(w, r0 + j).fma(v0, FloatVector.fromArray(S, out, oo + j));
                    half(w, r1 + j).fma(v1, o).intoArray(out, oo + j);
                }
                for (; j < nOut; j++) {
                    out[oo + j] += x0 * PackedWeights.toFloat(w[r0 + j]) + x1 * PackedWeights.toFloat(w[r1 + j]);
                }
            }
            for (; k < m; k++) {
                int i = idx[k];
                float xi = x[xo + i];
                int r = wOff + i * rowStride;
                FloatVector v = FloatVector.broadcast(S, xi);
                int j = 0;
                for (; j < vEnd; j += L) {
                    half(w, r + j).fma(v, FloatVector.fromArray(S, out, oo + j)).intoArray(out, oo + j);
                }
                for (; j < nOut; j++) {
                    out[oo + j] += xi * PackedWeights.toFloat(w[r + j]);
                }
            }
        }
    }

    static void accumulateInt8(byte[] w, float[] scale, int wOff, int rowStride, int nIn, int nOut, float[] x,
            int xOff, int xStride, int batch, float[] out, int outOff, int outStride, int[] idx) {
        int vEnd = nOut - nOut % L;
        for (int b = 0; b < batch; b++) {
            int xo = xOff + b * xStride;
            int oo = outOff + b * outStride;
            int m = Kernels.nonZeroRows(x, xo, xStride, nIn, 1, idx);
            int k = 0;
            for (; k + 2 <= m; k += 2) {
                int i0 = idx[k];
                int i1 = idx[k + 1];
                float x0 = x[xo + i0] * scale[i0];
                float x1 = x[xo + i1] * scale[i1];
                int r0 = wOff + i0 * rowStride;
                int r1 = wOff + i1 * rowStride;
                FloatVector v0 = FloatVector.broadcast(S, x0);
                FloatVector v1 = FloatVector.broadcast(S, x1);
                int j = 0;
                for (; j < vEnd; j += L) {
                    FloatVector o = int8(w, r0 + j).fma(v0, FloatVector.fromArray(S, out, oo + j));
                    int8(w, r1 + j).fma(v1, o).intoArray(out, oo + j);
                }
                for (; j < nOut; j++) {
                    out[oo + j] += x0 * w[r0 + j] + x1 * w[r1 + j];
                }
            }
            for (; k < m; k++) {
                int i = idx[k];
                float xi = x[xo + i] * scale[i];
                int r = wOff + i * rowStride;
                FloatVector v = FloatVector.broadcast(S, xi);
                int j = 0;
                for (; j < vEnd; j += L) {
                    int8(w, r + j).fma(v, FloatVector.fromArray(S, out, oo + j)).intoArray(out, oo + j);
                }
                for (; j < nOut; j++) {
                    out[oo + j] += xi * w[r + j];
                }
            }
        }
    }
}
