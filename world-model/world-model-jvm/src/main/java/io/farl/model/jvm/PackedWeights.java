package io.farl.model.jvm;

/**
 * An input-major weight matrix {@code [rows, cols]} in a {@link WeightStorage} other than float32, with the
 * conversions. JDK 17 has no {@code Float.float16ToFloat} (JDK 20), so the half conversions are written out here;
 * they handle normal and subnormal values, and map overflow to ±infinity (weights never get there).
 */
final class PackedWeights {
    final WeightStorage storage;
    final int rows;
    final int cols;
    /** FLOAT16 bits, or null. */
    final short[] half;
    /** INT8 values, or null. */
    final byte[] int8;
    /** INT8: the scale of each row, or null. */
    final float[] scale;

    private PackedWeights(WeightStorage storage, int rows, int cols, short[] half, byte[] int8, float[] scale) {
        this.storage = storage;
        this.rows = rows;
        this.cols = cols;
        this.half = half;
        this.int8 = int8;
        this.scale = scale;
    }

    /** Packs {@code w} ({@code rows * cols} floats, input-major); {@code storage} must not be FLOAT32. */
    static PackedWeights pack(float[] w, int rows, int cols, WeightStorage storage) {
        switch (storage) {
            case FLOAT16: {
                short[] h = new short[w.length];
                for (int i = 0; i < w.length; i++) {
                    h[i] = toHalf(w[i]);
                }
                return new PackedWeights(storage, rows, cols, h, null, null);
            }
            case INT8: {
                byte[] q = new byte[w.length];
                float[] s = new float[rows];
                for (int r = 0; r < rows; r++) {
                    float max = 0;
                    for (int j = 0; j < cols; j++) {
                        max = Math.max(max, Math.abs(w[r * cols + j]));
                    }
                    s[r] = max == 0 ? 1f : max / 127f;
                    for (int j = 0; j < cols; j++) {
                        q[r * cols + j] = (byte) Math.round(w[r * cols + j] / s[r]);
                    }
                }
                return new PackedWeights(storage, rows, cols, null, q, s);
            }
            default:
                throw new IllegalArgumentException("nothing to pack for " + storage);
        }
    }

    /** The matrix as floats again (what the kernels compute with). */
    float[] unpack() {
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = half != null ? toFloat(half[i]) : int8[i] * scale[i / cols];
        }
        return w;
    }

    /** {@code out += x · W[.., c0 .. c0+nOut)} for {@code batch} rows, as {@link Kernels#accumulate}. */
    void accumulate(Kernels k, int c0, int nIn, int nOut, float[] x, int xOff, int xStride, int batch, float[] out,
            int outOff, int outStride, int[] idx) {
        if (half != null) {
            k.accumulateHalf(half, c0, cols, nIn, nOut, x, xOff, xStride, batch, out, outOff, outStride, idx);
        } else {
            k.accumulateInt8(int8, scale, c0, cols, nIn, nOut, x, xOff, xStride, batch, out, outOff, outStride, idx);
        }
    }

    /** float → IEEE half bits, round to nearest even. */
    static short toHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFF_FFFF;
        if (abs >= 0x7F80_0000) {
            // infinity or NaN
            return (short) (sign | 0x7C00 | (abs > 0x7F80_0000 ? 0x200 : 0));
        }
        if (abs >= 0x477F_F000) {
            // rounds to a value >= 65520: overflow
            return (short) (sign | 0x7C00);
        }
        if (abs < 0x3880_0000) {
            // below the smallest normal half (2^-14): subnormal or zero; the float's value in units of 2^-24,
            // rounded to nearest even
            float scaled = Float.intBitsToFloat(abs) * 0x1p24f;
            return (short) (sign | (int) Math.rint(scaled));
        }
        int e = (abs >>> 23) - 127 + 15;
        int mant = abs & 0x7F_FFFF;
        int h = (e << 10) | (mant >>> 13);
        int rest = mant & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (h & 1) == 1)) {
            // may carry into the exponent, which is right
            h++;
        }
        return (short) (sign | h);
    }

    /** IEEE half bits → float (exact). */
    static float toFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int em = bits & 0x7FFF;
        if (em >= 0x7C00) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | ((em & 0x3FF) << 13));
        }
        // rebias by multiplying: exact for normal and subnormal halves (the kernels do the same)
        return Float.intBitsToFloat(Float.floatToRawIntBits(Float.intBitsToFloat(em << 13) * 0x1p112f) | sign);
    }
}
