package io.farl.interchange;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Frame tables as CSV: a header row, then one row per frame. A vector column {@code v} of size n takes n columns
 * {@code v.0 ... v.(n-1)}; an absent (nullable) cell is empty; numbers in Java's shortest round-trip decimal form,
 * flags as {@code true}/{@code false}. Reading checks the header names every entry of the columns asked for, that
 * every row has as many cells as the header, and that every cell parses.
 */
final class CsvTables {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private CsvTables() {
    }

    static TableFormat.RowWriter create(Path file, List<Column> columns) throws IOException {
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(out, FORMAT);
        List<String> header = new ArrayList<>();
        columns.forEach(c -> header.addAll(c.csvNames()));
        printer.printRecord(header);
        return new TableFormat.RowWriter() {
            private final List<String> record = new ArrayList<>(header.size());

            @Override
            public void write(Object[] cells) throws IOException {
                record.clear();
                for (int i = 0; i < cells.length; i++) {
                    addCells(columns.get(i), cells[i], record);
                }
                printer.printRecord(record);
            }

            @Override
            public void close() throws IOException {
                printer.close(true);
            }
        };
    }

    private static void addCells(Column c, Object value, List<String> record) {
        if (c.type() == Column.Type.VECTOR) {
            double[] v = (double[]) value;
            for (int i = 0; i < c.size(); i++) {
                record.add(v == null ? "" : Double.toString(v[i]));
            }
        } else {
            record.add(value == null ? "" : value.toString());
        }
    }

    static List<Row> read(Path file, String name, List<Column> columns) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.builder().setReader(in).setFormat(FORMAT).get()) {
            List<Row> rows = new ArrayList<>();
            Map<String, Integer> header = null;
            for (CSVRecord record : parser) {
                if (header == null) {
                    header = header(name, record, columns);
                    continue;
                }
                long row = record.getRecordNumber() - 2;
                String where = name + ": row " + row + " (line " + parser.getCurrentLineNumber() + ")";
                if (record.size() != header.size()) {
                    throw new InterchangeInputException(where + " has " + record.size() + " cells, the header has "
                            + header.size());
                }
                Map<String, Object> cells = new HashMap<>();
                for (Column c : columns) {
                    cells.put(c.name(), cell(where, c, record, header));
                }
                rows.add(new Row(where, cells));
            }
            if (header == null) {
                throw new InterchangeInputException(name + ": empty file, expected a header row");
            }
            return rows;
        } catch (java.io.UncheckedIOException e) {
            // commons-csv reports malformed quoting this way
            throw new InterchangeInputException(name + ": not valid CSV: " + e.getMessage(), e);
        }
    }

    private static Map<String, Integer> header(String name, CSVRecord record, List<Column> columns) {
        Map<String, Integer> header = new LinkedHashMap<>();
        for (int i = 0; i < record.size(); i++) {
            if (header.put(record.get(i), i) != null) {
                throw new InterchangeInputException(name + ": header has column '" + record.get(i) + "' twice");
            }
        }
        for (Column c : columns) {
            for (String n : c.csvNames()) {
                if (!header.containsKey(n)) {
                    throw new InterchangeInputException(name + ": header has no column '" + n + "'");
                }
            }
        }
        return header;
    }

    private static Object cell(String where, Column c, CSVRecord record, Map<String, Integer> header) {
        if (c.type() == Column.Type.VECTOR) {
            List<String> names = c.csvNames();
            double[] v = new double[names.size()];
            int empty = 0;
            for (int i = 0; i < v.length; i++) {
                String text = record.get(header.get(names.get(i)));
                if (text.isEmpty()) {
                    empty++;
                } else {
                    v[i] = number(where, names.get(i), text);
                }
            }
            if (empty == v.length) {
                return null;
            }
            if (empty > 0) {
                throw new InterchangeInputException(where + ", column " + c.name() + ": " + empty + " of " + v.length
                        + " entries are empty; a vector is either complete or absent");
            }
            return v;
        }
        String text = record.get(header.get(c.name()));
        if (text.isEmpty()) {
            return null;
        }
        return switch (c.type()) {
            case FLOAT64 -> number(where, c.name(), text);
            case INT64 -> integer(where, c.name(), text);
            case BOOL -> flag(where, c.name(), text);
            default -> text;
        };
    }

    private static double number(String where, String column, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InterchangeInputException(where + ", column " + column + ": '" + text + "' is not a number");
        }
    }

    private static long integer(String where, String column, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InterchangeInputException(where + ", column " + column + ": '" + text + "' is not an integer");
        }
    }

    private static boolean flag(String where, String column, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new InterchangeInputException(where + ", column " + column + ": '" + text
                    + "' is not true or false");
        };
    }
}
