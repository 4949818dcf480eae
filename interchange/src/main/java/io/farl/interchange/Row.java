package io.farl.interchange;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One row of a frame table as read: cells by column name ({@code double[]}, {@code Double}, {@code Long},
 * {@code Boolean}, {@code String}; null for an empty cell), and where it came from, so that every accessor can
 * name the file, row and column of what it refuses.
 *
 * @param where file and row, e.g. {@code data/chunk-000/episode_000002.csv: row 4 (line 6)}
 * @param cells the cells of the columns the reader was asked for and found
 */
record Row(String where, Map<String, Object> cells) {

    boolean has(String column) {
        return cells.get(column) != null;
    }

    /** A vector every entry of which is finite. */
    double[] vector(String column) {
        return optionalVector(column).orElseThrow(() -> error(column, "is empty"));
    }

    /** A vector every entry of which is finite, or empty when the cell is. */
    Optional<double[]> optionalVector(String column) {
        double[] v = (double[]) cells.get(column);
        if (v == null) {
            return Optional.empty();
        }
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw error(Column.entryName(column, i), "must be finite, got " + v[i]);
            }
        }
        return Optional.of(v);
    }

    double finite(String column) {
        return optionalFinite(column).orElseThrow(() -> error(column, "is empty"));
    }

    OptionalDouble optionalFinite(String column) {
        Double v = (Double) cells.get(column);
        if (v == null) {
            return OptionalDouble.empty();
        }
        if (!Double.isFinite(v)) {
            throw error(column, "must be finite, got " + v);
        }
        return OptionalDouble.of(v);
    }

    long int64(String column) {
        Long v = (Long) cells.get(column);
        if (v == null) {
            throw error(column, "is empty");
        }
        return v;
    }

    /** The flag, or {@code absent} when the column is missing or the cell empty. */
    boolean bool(String column, boolean absent) {
        Boolean v = (Boolean) cells.get(column);
        return v == null ? absent : v;
    }

    Optional<String> string(String column) {
        return Optional.ofNullable((String) cells.get(column));
    }

    InterchangeInputException error(String column, String problem) {
        return new InterchangeInputException(where + ", column " + column + ": " + problem);
    }
}
