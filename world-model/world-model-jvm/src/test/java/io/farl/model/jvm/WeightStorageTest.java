package io.farl.model.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.api.WorldModelConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed weight storages: exact half conversions, kernels equal to float32 on the unpacked weights, C_H bounds. */
class WeightStorageTest {

    @Test
    void shouldConvertEveryHalfExactlyBothWays() {
        short[] all = new short[1 << 16];
        for (int h = 0; h < all.length; h++) {
            all[h] = (short) h;
        }
        for (int h = 0; h < all.length; h++) {
            float f = PackedWeights.toFloat(all[h]);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals(h, PackedWeights.toHalf(f) & 0xFFFF, "half " + Integer.toHexString(h) + " = " + f);
        }
        // known values: 1, -2, the largest half, the smallest subnormal
        assertEquals(1f, PackedWeights.toFloat((short) 0x3C00));
        assertEquals(-2f, PackedWeights.toFloat((short) 0xC000));
        assertEquals(65504f, PackedWeights.toFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, PackedWeights.toFloat((short) 0x0001));
        // the vector decoding agrees with the scalar one on every finite half
        if (Kernels.INSTANCE.name().startsWith("vector")) {
            int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
            float[] v = new float[lanes];
            for (int h = 0; h + lanes <= all.length; h += lanes) {
                VectorPackedKernels.half(all, h).intoArray(v, 0);
                for (int i = 0; i < lanes; i++) {
                    float expected = PackedWeights.toFloat(all[h + i]);
                    if (!Float.isNaN(expected) && !Float.isInfinite(expected)) {
                        assertEquals(expected, v[i], "half " + Integer.toHexString(h + i));
                    }
                }
            }
        }
    }

    @Test
    void shouldRoundFloatsToTheNearestHalf() {
        Random rnd = new Random(1);
        for (int k = 0; k < 100_000; k++) {
            float f = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 4));
            float back = PackedWeights.toFloat(PackedWeights.toHalf(f));
            float ulp = Math.max(Math.ulp(back), 0x1p-24f);
            // within half a half-ulp: 2^-11 relative for normal halves, 2^-25 absolute for subnormal ones
            double bound = Math.abs(f) >= 0x1p-14f ? Math.abs(f) * 0x1p-11 : 0x1p-25;
            assertTrue(Math.abs(back - f) <= bound * 1.0000001, f + " -> " + back + " (ulp " + ulp + ")");
        }
    }

    @Test
    void shouldAccumulatePackedWeightsAsTheirUnpackedFloats() {
        Random rnd = new Random(2);
        int nIn = 45;
        int cols = 100;
        float[] w = TestWeights.gaussian(rnd, nIn * cols);
        for (WeightStorage storage : new WeightStorage[] {WeightStorage.FLOAT16, WeightStorage.INT8}) {
            PackedWeights p = PackedWeights.pack(w, nIn, cols, storage);
            float[] unpacked = p.unpack();
            for (Kernels k : new Kernels[] {Kernels.INSTANCE, Kernels.scalar()}) {
                for (int batch : new int[] {1, 2, 5}) {
                    // a column slice [7, 7 + 83) of the matrix
                    float[] x = TestWeights.gaussian(rnd, batch * nIn);
                    for (int i = 0; i < x.length; i += 3) {
                        x[i] = 0;
                    }
                    float[] expected = new float[batch * 83];
                    float[] actual = new float[batch * 83];
                    Kernels.scalar().accumulate(unpacked, 7, cols, nIn, 83, x, 0, nIn, batch, expected, 0, 83,
                            new int[nIn]);
                    p.accumulate(k, 7, nIn, 83, x, 0, nIn, batch, actual, 0, 83, new int[nIn]);
                    for (int j = 0; j < expected.length; j++) {
                        assertEquals(expected[j], actual[j], 1e-4, storage + " " + k.name() + " batch " + batch);
                    }
                }
            }
        }
    }

    @Test
    void shouldKeepTheCostCloseToFloat32() {
        WorldModelConfig wc = WorldModelConfig.builder(39, 4).sizes(64, 256).decoderEnabled(false).build();
        ParameterSet weights = TestWeights.random(ModelFiles.worldModelShapes(wc), 4);
        CostRolloutConfig rc = new CostRolloutConfig(5, 0.9, RolloutActionSource.POLICY_PRIOR);
        JvmWorldModel reference = new JvmWorldModel(wc, weights, rc, null);
        Random rnd = new Random(5);
        for (WeightStorage storage : new WeightStorage[] {WeightStorage.FLOAT16, WeightStorage.INT8}) {
            JvmWorldModel packed = new JvmWorldModel(wc, weights, rc, null, Kernels.INSTANCE, storage);
            double worst = 0;
            for (int k = 0; k < 50; k++) {
                float[] obs = TestWeights.gaussian(rnd, 39);
                float[] a = TestWeights.gaussian(rnd, 4);
                for (int j = 0; j < 4; j++) {
                    a[j] = (float) Math.tanh(a[j]);
                }
                worst = Math.max(worst, Math.abs(reference.cost(obs, a) - packed.cost(obs, a)));
            }
            System.out.printf("%s: max |C_H - C_H(float32)| over 50 rollouts: %.3g%n", storage, worst);
            assertTrue(worst > 0, "packed weights change nothing: not used?");
            assertTrue(worst < (storage == WeightStorage.FLOAT16 ? 1e-3 : 2e-2), storage + ": " + worst);
        }
    }
}
