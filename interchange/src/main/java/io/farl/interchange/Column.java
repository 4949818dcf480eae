package io.farl.interchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One column of a frame table, in the terms both table formats share.
 *
 * @param name     LeRobot-style feature name, e.g. {@code observation.state}
 * @param type     what a cell holds
 * @param size     entries of a {@link Type#VECTOR} cell; 1 for scalars
 * @param nullable a cell may be absent (an empty CSV cell, a Parquet null)
 */
record Column(String name, Type type, int size, boolean nullable) {

    /** What a cell holds; the Java value a table reader hands out is named with each. */
    enum Type {
        /** {@code double[]} of {@code size} entries; CSV: one column per entry, {@code name.0 ... name.(size-1)}. */
        VECTOR("float64"),
        /** {@code Double}. */
        FLOAT64("float64"),
        /** {@code Long}. */
        INT64("int64"),
        /** {@code Boolean}. */
        BOOL("bool"),
        /** {@code String}. */
        STRING("string");

        private final String dtype;

        Type(String dtype) {
            this.dtype = dtype;
        }

        /** The LeRobot feature dtype. */
        String dtype() {
            return dtype;
        }
    }

    Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (size <= 0 || (type != Type.VECTOR && size != 1)) {
            throw new IllegalArgumentException("column " + name + ": size " + size + " for a " + type);
        }
    }

    static Column vector(String name, int size, boolean nullable) {
        return new Column(name, Type.VECTOR, size, nullable);
    }

    static Column scalar(String name, Type type, boolean nullable) {
        return new Column(name, type, 1, nullable);
    }

    /** The CSV header names of this column: one per entry for a vector, the name itself otherwise. */
    List<String> csvNames() {
        if (type != Type.VECTOR) {
            return List.of(name);
        }
        List<String> names = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            names.add(entryName(name, i));
        }
        return names;
    }

    /** The name of entry {@code i} of vector column {@code name}, as a CSV header and in error messages. */
    static String entryName(String name, int i) {
        return name + "." + i;
    }
}
