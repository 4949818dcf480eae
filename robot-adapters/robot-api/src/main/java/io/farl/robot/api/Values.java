package io.farl.robot.api;

/** Small checks on value vectors shared by every adapter. */
public final class Values {
    private Values() {
    }

    /** Index of the first NaN or infinite entry, or -1 when every entry is finite. */
    public static int firstNonFinite(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first NaN or infinite entry, or -1 when every entry is finite. */
    public static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }
}
