package io.farl.model.jvm;

/**
 * How the world model's weight matrices are stored for the C_H rollout. Accumulation is float32 in every case;
 * smaller storage halves or quarters the bytes streamed per decision, at a loss of precision (see
 * {@code PERFORMANCE.md} for the measured C_H differences). Opt-in: {@link #FLOAT32} is the default and the only
 * storage that keeps the 1e-5 equivalence with the DJL model.
 */
public enum WeightStorage {
    /** As exported. */
    FLOAT32,
    /** IEEE 754 half precision (11 significant bits), round to nearest even, decoded in the kernel. */
    FLOAT16,
    /** Signed 8-bit integers with one float scale per input row ({@code max |w| / 127}), round to nearest. */
    INT8
}
