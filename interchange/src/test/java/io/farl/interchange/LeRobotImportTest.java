package io.farl.interchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.controller.dataset.SyntheticEpisodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Importing layouts other tools wrote, and refusing bad input with the file, row and column named. */
class LeRobotImportTest {

    @TempDir
    Path dir;

    private static LeRobotImporter importer(String task, Optional<Episode.Label> label) {
        return new LeRobotImporter(new LeRobotImporter.Options(task, Episode.Kind.EXPERT, label));
    }

    @ParameterizedTest
    @EnumSource(TableFormat.class)
    void shouldImportALayoutWithLeRobotColumnsOnly(TableFormat format) throws IOException {
        Path layout = ForeignLayout.write(dir.resolve("so100"), format, 3, 5);
        LeRobotImporter.Summary s = importer("pick-cube", Optional.of(Episode.Label.SUCCESS))
                .importLayout(layout, dir.resolve("out"));
        assertFalse(s.farlLayout());
        assertEquals(8, s.frames());
        List<Episode> back = DatasetReader.readAll(s.file());
        assertEquals(2, back.size());
        Episode e = back.get(1);
        assertEquals("pick-cube", e.header().task());
        assertEquals(Episode.Source.TELEOP, e.header().source());
        assertEquals(100_000_000L, e.header().controlPeriodNanos(), "fps 10");
        assertEquals(Episode.Label.SUCCESS, e.label());
        assertEquals(2.5, e.footer().episodeReturn());
        Episode.Step s2 = e.steps().get(2);
        assertArrayEquals(new double[] {2, 0.25, -1}, s2.observation());
        assertArrayEquals(new double[] {3, 0.25, -1}, s2.nextObservation(), "the next row's observation");
        assertArrayEquals(e.steps().get(4).observation(), e.steps().get(4).nextObservation(), "last row: its own");
        assertArrayEquals(new double[] {0.2, -0.5}, s2.executedAction(), 1e-7);
        assertEquals(0, s2.proposedAction().length);
        assertEquals(Episode.Mode.HUMAN, s2.mode());
        assertEquals(200_000_000L, s2.stampNanos(), "timestamp 0.2 s");
        assertTrue(e.steps().get(4).terminated());
    }

    @Test
    void shouldReadSnappyFloat32TablesLikeThosePyarrowWriteSkippingImages() throws IOException {
        Path layout = ForeignLayout.write(dir.resolve("so100"), TableFormat.PARQUET, 3);
        MessageType schema = MessageTypeParser.parseMessageType("message schema {"
                + " optional group observation.state (LIST) { repeated group list { optional float item; } }"
                + " optional group action (LIST) { repeated group list { optional float item; } }"
                + " optional float timestamp; optional int32 frame_index; optional int64 episode_index;"
                + " optional int64 index; optional float next.reward; optional boolean next.done;"
                + " optional int64 task_index; optional binary observation.images.top; }");
        Path table = layout.resolve("data/chunk-000/episode_000000.parquet");
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(table))
                .withConf(new PlainParquetConfiguration()).withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY).withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            SimpleGroupFactory groups = new SimpleGroupFactory(schema);
            for (int i = 0; i < 3; i++) {
                Group g = groups.newGroup();
                Group state = g.addGroup("observation.state");
                for (float x : new float[] {i, 0.5f, -1}) {
                    state.addGroup("list").append("item", x);
                }
                Group action = g.addGroup("action");
                action.addGroup("list").append("item", 0.25f);
                action.addGroup("list").append("item", -0.75f);
                g.append("timestamp", i / 10f).append("frame_index", i).append("episode_index", 0L)
                        .append("index", (long) i).append("next.reward", 1f).append("next.done", i == 2)
                        .append("task_index", 0L).append("observation.images.top", "not read");
                w.write(g);
            }
        }
        LeRobotImporter.Summary s = importer("pick-cube", Optional.empty()).importLayout(layout, dir.resolve("out"));
        Episode e = DatasetReader.readAll(s.file()).get(0);
        assertEquals(3, e.length());
        assertArrayEquals(new double[] {1, 0.5, -1}, e.steps().get(1).observation());
        assertArrayEquals(new double[] {0.25, -0.75}, e.steps().get(2).executedAction());
        assertEquals(3.0, e.footer().episodeReturn());
    }

    @Test
    void shouldJudgeTimeoutWithoutSuccessColumnOrLabel() throws IOException {
        Path layout = ForeignLayout.write(dir.resolve("so100"), TableFormat.CSV, 2);
        LeRobotImporter.Summary s = importer("pick-cube", Optional.empty()).importLayout(layout, dir.resolve("out"));
        assertEquals(Episode.Label.TIMEOUT, DatasetReader.readAll(s.file()).get(0).label());
    }

    @Test
    void shouldRefuseAFolderWithoutInfoJson() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        assertRefused(dir.resolve("empty"), "meta/info.json does not exist");
    }

    @Test
    void shouldRefuseARowWithTheWrongCellCount() throws IOException {
        Path layout = exportedCsv();
        editCsv(layout, 1, cells -> cells.subList(0, cells.size() - 1));
        assertRefused(layout, "data/chunk-000/episode_000000.csv: row 1 (line 3) has 105 cells, the header has 106");
    }

    @Test
    void shouldRefuseANonNumericCell() throws IOException {
        Path layout = exportedCsv();
        editCsv(layout, 2, cells -> set(cells, 4, "abc"));
        assertRefused(layout, "data/chunk-000/episode_000000.csv: row 2 (line 4), column observation.state.4: 'abc' "
                + "is not a number");
    }

    @Test
    void shouldRefuseNanInAnObservation() throws IOException {
        Path layout = exportedCsv();
        editCsv(layout, 3, cells -> set(cells, 7, "NaN"));
        assertRefused(layout, "data/chunk-000/episode_000000.csv: row 3 (line 5), column observation.state.7: must be "
                + "finite, got NaN");
    }

    @Test
    void shouldRefuseNanInAParquetObservation() throws IOException {
        Path layout = ForeignLayout.write(dir.resolve("so100"), TableFormat.PARQUET, 2);
        try (TableFormat.RowWriter w = TableFormat.PARQUET.create(
                layout.resolve("data/chunk-000/episode_000000.parquet"), ForeignLayout.COLUMNS)) {
            w.write(new Object[] {new double[] {0, 0, 0}, new double[] {0, 0}, 0.0, 0L, 0L, 0L, 0.0, false, 0L});
            w.write(new Object[] {new double[] {0, Double.NaN, 0}, new double[] {0, 0}, 0.1, 1L, 0L, 1L, 0.0, true,
                    0L});
        }
        assertRefused(layout, "data/chunk-000/episode_000000.parquet: row 1, column observation.state.1: must be "
                + "finite, got NaN");
    }

    @Test
    void shouldRefuseAMissingColumnAndALengthThatDisagrees() throws IOException {
        Path layout = exportedCsv();
        editCsv(layout, -1, cells -> set(cells, 3, "observation.state.x"));
        assertRefused(layout, "data/chunk-000/episode_000000.csv: header has no column 'observation.state.3'");
        Path other = ForeignLayout.write(dir.resolve("short"), TableFormat.CSV, 4);
        Files.writeString(other.resolve("meta/episodes.jsonl"), "{\"episode_index\": 0, \"length\": 5}\n");
        assertRefused(other, "data/chunk-000/episode_000000.csv: has 4 rows, meta/episodes.jsonl gives episode 0 "
                + "length 5");
        Files.writeString(other.resolve("meta/episodes.jsonl"), "{\"episode_index\": 0}\n");
        assertRefused(other, "meta/episodes.jsonl: line 1: Missing required creator property 'length'");
    }

    @Test
    void shouldRefuseATaskTheExportDoesNotHold() throws IOException {
        Path layout = exportedCsv();
        InterchangeInputException e = assertThrows(InterchangeInputException.class,
                () -> importer("bounded-soccer", Optional.empty()).importLayout(layout, dir.resolve("out")));
        assertEquals("meta/episodes.jsonl: no episode of task 'bounded-soccer'; tasks there: [bounded-push]",
                e.getMessage());
    }

    private Path exportedCsv() throws IOException {
        Episodes.write(dir.resolve("data").resolve("push.farl"), List.of(SyntheticEpisodes.episode(0, 6, 1)));
        Path layout = dir.resolve("csv");
        new LeRobotExporter(TableFormat.CSV).export(dir.resolve("data"), layout);
        return layout;
    }

    private void assertRefused(Path layout, String message) {
        InterchangeInputException e = assertThrows(InterchangeInputException.class,
                () -> importer("bounded-push", Optional.empty()).importLayout(layout, dir.resolve("out")));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out").resolve("bounded-push-imported.farl")), "nothing imported");
    }

    private static List<String> set(List<String> cells, int i, String value) {
        cells.set(i, value);
        return cells;
    }

    /** Rewrites data row {@code row} (-1: the header) of episode 0's CSV table. */
    private static void editCsv(Path layout, int row, UnaryOperator<List<String>> edit) throws IOException {
        Path table = layout.resolve("data/chunk-000/episode_000000.csv");
        List<CSVRecord> records;
        try (CSVParser p = CSVParser.parse(table, java.nio.charset.StandardCharsets.UTF_8, CSVFormat.RFC4180)) {
            records = p.getRecords();
        }
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator('\n').get())) {
            for (int i = 0; i < records.size(); i++) {
                List<String> cells = new java.util.ArrayList<>(records.get(i).toList());
                printer.printRecord(i == row + 1 ? edit.apply(cells) : cells);
            }
        }
        Files.writeString(table, out);
    }
}
