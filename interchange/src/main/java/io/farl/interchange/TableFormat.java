package io.farl.interchange;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The file format of the per-episode frame tables. */
public enum TableFormat {
    /** Apache Parquet, uncompressed; vectors are LIST columns of float64. LeRobot's own format. */
    PARQUET("parquet"),
    /** RFC 4180 CSV with a header row; a vector column {@code v} of size n is spelled {@code v.0 ... v.(n-1)}. */
    CSV("csv");

    private final String extension;

    TableFormat(String extension) {
        this.extension = extension;
    }

    /** File name extension, without the dot; also the name on the command line and in meta/info.json. */
    public String extension() {
        return extension;
    }

    /** The format named {@code name} ({@code csv} or {@code parquet}, any case). */
    public static TableFormat named(String name) {
        for (TableFormat f : values()) {
            if (f.extension.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new InterchangeInputException("unknown table format '" + name + "', expected csv or parquet");
    }

    /** The format of a table file, from its extension. */
    static TableFormat ofFile(Path file) {
        String name = file.getFileName().toString();
        for (TableFormat f : values()) {
            if (name.endsWith("." + f.extension)) {
                return f;
            }
        }
        throw new InterchangeInputException(file + ": not a .csv or .parquet table");
    }

    /** Opens a new table at {@code file} with these columns; an existing file is replaced. */
    RowWriter create(Path file, List<Column> columns) throws IOException {
        return this == CSV ? CsvTables.create(file, columns) : ParquetTables.create(file, columns);
    }

    /**
     * Reads every row of {@code file}, keeping the cells of {@code columns}.
     *
     * @param name how to name the file in errors (its path under the dataset root)
     * @throws InterchangeInputException naming file, row and column of the first thing that does not fit
     */
    List<Row> read(Path file, String name, List<Column> columns) throws IOException {
        return this == CSV ? CsvTables.read(file, name, columns) : ParquetTables.read(file, name, columns);
    }

    /** Receives the rows of one table, cells in the order of its columns. */
    interface RowWriter extends AutoCloseable {
        void write(Object[] cells) throws IOException;

        @Override
        void close() throws IOException;
    }
}
