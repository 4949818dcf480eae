package io.farl.model.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels give bit-identical results before and after C2 compiles them. Until then the Vector API runs
 * its Java fallback (in a fine-tuning run under load, for the first minute or so); a lane reduction whose order
 * differed between the fallback and the compiled intrinsic would make two processes with the same seeds compute
 * different C_H, depending only on when the JIT finished.
 */
class KernelDeterminismTest {

    @Test
    void shouldGiveTheSameLayerNormBeforeAndAfterCompilation() {
        Kernels k = Kernels.INSTANCE;
        assertTrue(k.name().startsWith("vector"), k.name());
        Random rnd = new Random(11);
        int n = 256;
        float[] x = new float[n];
        float[] gain = new float[n];
        float[] bias = new float[n];
        for (int i = 0; i < n; i++) {
            // mixed magnitudes: a different summation order rounds differently
            x[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(5) - 2));
            gain[i] = 0.5f + rnd.nextFloat();
            bias[i] = (float) (0.1 * rnd.nextGaussian());
        }
        float[] cold = x.clone();
        k.layerNormRelu(cold, 0, n, gain, bias);
        float[] warm = x.clone();
        for (int round = 0; round < 200_000; round++) {
            System.arraycopy(x, 0, warm, 0, n);
            k.layerNormRelu(warm, 0, n, gain, bias);
        }
        assertArrayEquals(cold, warm);
    }
}
