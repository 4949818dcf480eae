package io.farl.robot.api;

/**
 * A named slice of an observation or action vector.
 *
 * @param name   e.g. {@code hand_pos}
 * @param offset first index in the vector
 * @param size   number of entries
 * @param unit   SI unit of the entries ({@code m}, {@code rad}, {@code 1} for dimensionless)
 */
public record Field(String name, int offset, int size, String unit) {
    public Field {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("field name must not be blank");
        }
        if (offset < 0 || size <= 0) {
            throw new IllegalArgumentException("field " + name + ": offset must be >= 0 and size > 0, got offset="
                    + offset + " size=" + size);
        }
    }

    public int end() {
        return offset + size;
    }
}
