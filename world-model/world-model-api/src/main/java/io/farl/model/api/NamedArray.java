package io.farl.model.api;

import java.util.Arrays;

/**
 * A dense float tensor in row-major order, crossing module boundaries as plain arrays.
 *
 * @param shape dimensions, each positive
 * @param data  values, length equal to the product of {@code shape}; not copied, treat as read-only
 */
public record NamedArray(int[] shape, float[] data) {
    public NamedArray {
        if (shape == null || data == null) {
            throw new IllegalArgumentException("shape and data must not be null");
        }
        long n = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("dimensions must be positive: " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    public int size() {
        return data.length;
    }

    public boolean sameShape(int... other) {
        return Arrays.equals(shape, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedArray other && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NamedArray" + Arrays.toString(shape);
    }
}
