package io.farl.interchange;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Frame tables as Apache Parquet through parquet-hadoop's example object model, on local files and a plain
 * configuration (no Hadoop file system or service). Written uncompressed, one row group, vectors as the standard
 * three-level LIST of float64, scalars as DOUBLE, INT64, BOOLEAN or UTF-8 BINARY. Reading accepts what LeRobot and
 * pyarrow write as well: float32 vectors, INT32 integers, two-level lists and any codec parquet-hadoop decodes.
 */
final class ParquetTables {

    private ParquetTables() {
    }

    static TableFormat.RowWriter create(Path file, List<Column> columns) throws IOException {
        MessageType schema = schema(columns);
        ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(schema)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build();
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        return new TableFormat.RowWriter() {
            @Override
            public void write(Object[] cells) throws IOException {
                Group g = groups.newGroup();
                for (int i = 0; i < cells.length; i++) {
                    if (cells[i] != null) {
                        put(g, columns.get(i), cells[i]);
                    }
                }
                writer.write(g);
            }

            @Override
            public void close() throws IOException {
                writer.close();
            }
        };
    }

    static MessageType schema(List<Column> columns) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (Column c : columns) {
            Type.Repetition repetition = c.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
            switch (c.type()) {
                case VECTOR -> b.addField(Types.list(repetition)
                        .requiredElement(PrimitiveTypeName.DOUBLE).named(c.name()));
                case FLOAT64 -> b.addField(Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(c.name()));
                case INT64 -> b.addField(Types.primitive(PrimitiveTypeName.INT64, repetition).named(c.name()));
                case BOOL -> b.addField(Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(c.name()));
                case STRING -> b.addField(Types.primitive(PrimitiveTypeName.BINARY, repetition)
                        .as(LogicalTypeAnnotation.stringType()).named(c.name()));
            }
        }
        return b.named("frame");
    }

    private static void put(Group g, Column c, Object value) {
        switch (c.type()) {
            case VECTOR -> {
                Group list = g.addGroup(c.name());
                for (double x : (double[]) value) {
                    list.addGroup(0).append("element", x);
                }
            }
            case FLOAT64 -> g.append(c.name(), (Double) value);
            case INT64 -> g.append(c.name(), (Long) value);
            case BOOL -> g.append(c.name(), (Boolean) value);
            case STRING -> g.append(c.name(), (String) value);
        }
    }

    static List<Row> read(Path file, String name, List<Column> columns) throws IOException {
        MessageType schema;
        try (ParquetFileReader footer = ParquetFileReader.open(new LocalInputFile(file))) {
            schema = footer.getFooter().getFileMetaData().getSchema();
        } catch (RuntimeException e) {
            throw new InterchangeInputException(name + ": not a Parquet file: " + e.getMessage(), e);
        }
        for (Column c : columns) {
            if (!schema.containsField(c.name())) {
                throw new InterchangeInputException(name + ": has no column '" + c.name() + "'");
            }
        }
        // read only the columns asked for: other tools' tables may hold images
        MessageType projection = new MessageType(schema.getName(), columns.stream()
                .map(c -> schema.getType(c.name())).toList());
        List<Row> rows = new ArrayList<>();
        try (ParquetReader<Group> reader = new GroupReader(new LocalInputFile(file), projection).build()) {
            Group g;
            while ((g = reader.read()) != null) {
                String where = name + ": row " + rows.size();
                Map<String, Object> cells = new HashMap<>();
                for (Column c : columns) {
                    cells.put(c.name(), cell(where, g, c));
                }
                rows.add(new Row(where, cells));
            }
        }
        return rows;
    }

    private static Object cell(String where, Group g, Column c) {
        int field = g.getType().getFieldIndex(c.name());
        if (g.getFieldRepetitionCount(field) == 0) {
            return null;
        }
        Type type = g.getType().getType(field);
        if (c.type() == Column.Type.VECTOR) {
            double[] v = type.isPrimitive() ? numbers(where, c, g, field, type.asPrimitiveType())
                    : listNumbers(where, c, g.getGroup(field, 0), type.asGroupType());
            if (v.length != c.size()) {
                throw new InterchangeInputException(where + ", column " + c.name() + ": has " + v.length
                        + " entries, expected " + c.size());
            }
            return v;
        }
        if (!type.isPrimitive() || type.isRepetition(Type.Repetition.REPEATED)) {
            throw new InterchangeInputException(where + ", column " + c.name() + ": is a " + type
                    + ", expected a single " + c.type().dtype());
        }
        PrimitiveType p = type.asPrimitiveType();
        PrimitiveTypeName t = p.getPrimitiveTypeName();
        return switch (c.type()) {
            case FLOAT64 -> number(where, c.name(), g, field, 0, p);
            case INT64 -> switch (t) {
                case INT64 -> g.getLong(field, 0);
                case INT32 -> (long) g.getInteger(field, 0);
                default -> throw wrongType(where, c, t);
            };
            case BOOL -> {
                if (t != PrimitiveTypeName.BOOLEAN) {
                    throw wrongType(where, c, t);
                }
                yield g.getBoolean(field, 0);
            }
            case STRING -> {
                if (t != PrimitiveTypeName.BINARY) {
                    throw wrongType(where, c, t);
                }
                yield g.getString(field, 0);
            }
            default -> throw new IllegalStateException("vector handled above");
        };
    }

    /** A LIST group: a repeated child that is either the element (two-level) or a group holding it. */
    private static double[] listNumbers(String where, Column c, Group list, GroupType listType) {
        Type repeated = listType.getType(0);
        if (repeated.isPrimitive()) {
            return numbers(where, c, list, 0, repeated.asPrimitiveType());
        }
        int n = list.getFieldRepetitionCount(0);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            Group element = list.getGroup(0, i);
            Type elementType = element.getType().getType(0);
            if (!elementType.isPrimitive() || element.getFieldRepetitionCount(0) == 0) {
                throw new InterchangeInputException(where + ", column " + Column.entryName(c.name(), i)
                        + ": is null or not a number");
            }
            v[i] = number(where, Column.entryName(c.name(), i), element, 0, 0, elementType.asPrimitiveType());
        }
        return v;
    }

    private static double[] numbers(String where, Column c, Group g, int field, PrimitiveType p) {
        int n = g.getFieldRepetitionCount(field);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = number(where, Column.entryName(c.name(), i), g, field, i, p);
        }
        return v;
    }

    private static double number(String where, String column, Group g, int field, int index, PrimitiveType p) {
        return switch (p.getPrimitiveTypeName()) {
            case DOUBLE -> g.getDouble(field, index);
            case FLOAT -> g.getFloat(field, index);
            case INT32 -> g.getInteger(field, index);
            case INT64 -> g.getLong(field, index);
            default -> throw new InterchangeInputException(where + ", column " + column + ": is "
                    + p.getPrimitiveTypeName() + ", not a number");
        };
    }

    private static InterchangeInputException wrongType(String where, Column c, PrimitiveTypeName t) {
        return new InterchangeInputException(where + ", column " + c.name() + ": is " + t + ", expected "
                + c.type().dtype());
    }

    /** parquet-hadoop's reader of example groups over a local file, configured without Hadoop. */
    private static final class GroupReader extends ParquetReader.Builder<Group> {
        GroupReader(LocalInputFile file, MessageType projection) {
            super(file, new PlainParquetConfiguration(Map.of(ReadSupport.PARQUET_READ_SCHEMA, projection.toString())));
        }

        @Override
        protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }
}
