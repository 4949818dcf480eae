package io.farl.controller.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DatasetRepair}: intact episodes copied record for record, renumbered after a gap, the rest copied as is. */
class DatasetRepairTest {

    @TempDir
    Path tmp;

    private Path data;
    private List<Episode> episodes;
    /** Size of a.farl after each complete episode; ends[0] is the file header. */
    private List<Long> ends;
    private byte[] intact;

    @BeforeEach
    void writeDataset() throws IOException {
        data = Files.createDirectories(tmp.resolve("data"));
        SyntheticEpisodes.Written a = SyntheticEpisodes.write(data.resolve("a.farl"), 5,
                i -> SyntheticEpisodes.episode(i, 3 + i, 40 + i));
        episodes = a.episodes();
        ends = a.ends();
        intact = a.bytes();
        try (DatasetWriter w = DatasetWriter.open(data.resolve("sub").resolve("b.farl"))) {
            w.append(SyntheticEpisodes.episode(0, 2, 1));
        }
        Files.writeString(data.resolve("notes.txt"), "operator notes\n");
        Files.write(data.resolve("a.farl.torn-99"), new byte[] {1, 2, 3});
    }

    @Test
    void shouldCopyIntactEpisodesRecordForRecordRenumberAfterTheGapAndCopyOtherFiles() throws IOException {
        byte[] damaged = intact.clone();
        damaged[(int) (ends.get(1) + (ends.get(2) - ends.get(1)) / 2)] ^= 0x10;
        byte[] torn = Arrays.copyOf(damaged, damaged.length + 37);
        torn[damaged.length + 3] = 9;
        Files.write(data.resolve("a.farl"), torn);
        Path out = tmp.resolve("fixed");
        DatasetRepair.Report report;
        try (LogCapture log = new LogCapture()) {
            report = DatasetRepair.repair(data, out);
        }

        assertTrue(report.allRepaired());
        assertEquals(List.of("a.farl", "sub/b.farl"), report.datasets().stream().map(DatasetRepair.FileReport::file)
                .toList());
        DatasetRepair.FileReport a = report.datasets().get(0);
        assertEquals(List.of(4L, 1L, 37L, (long) torn.length), List.of(a.episodesKept(), a.episodesSkipped(),
                a.tornTailBytes(), a.bytesRead()));
        assertEquals(ends.get(1), a.skipped().get(0).offset());
        assertEquals(List.of(new DatasetRepair.Renumbered(2, 1, 3)), a.renumbered());
        assertEquals(List.of("a.farl.torn-99", "notes.txt"), report.copied());

        Path copy = out.resolve("a.farl");
        assertEquals(Files.size(copy), a.bytesWritten());
        List<Episode> read;
        try (DatasetReader r = DatasetReader.open(copy)) {
            read = new ArrayList<>();
            r.forEach(read::add);
            assertTrue(r.skipped().isEmpty() && r.tornTail().isEmpty());
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), read.stream().map(Episode::index).toList());
        assertEquals(episodes.get(0), read.get(0));
        for (int i = 1; i < 4; i++) {
            assertEquals(episodes.get(i + 1).steps(), read.get(i).steps());
            assertEquals(episodes.get(i + 1).header().withIndex(i), read.get(i).header());
            assertEquals(episodes.get(i + 1).footer().label(), read.get(i).footer().label());
        }
        byte[] copied = Files.readAllBytes(copy);
        assertArrayEquals(Arrays.copyOf(intact, (int) (long) ends.get(1)), Arrays.copyOf(copied,
                (int) (long) ends.get(1)), "file header and episode 0 byte for byte");
        long stepsFrom = ends.get(2) + frame(intact, ends.get(2));
        long stepsTo = ends.get(3) - lastFrame(intact, ends.get(2), ends.get(3));
        long copiedFrom = ends.get(1) + frame(copied, ends.get(1));
        assertArrayEquals(Arrays.copyOfRange(intact, (int) stepsFrom, (int) stepsTo), Arrays.copyOfRange(copied,
                (int) copiedFrom, (int) (copiedFrom + stepsTo - stepsFrom)), "step records of episode 2 byte for byte");
        assertArrayEquals(Files.readAllBytes(data.resolve("sub/b.farl")), Files.readAllBytes(out.resolve("sub/b.farl")));
        assertEquals("operator notes\n", Files.readString(out.resolve("notes.txt")));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out.resolve("a.farl.torn-99")));
        assertArrayEquals(torn, Files.readAllBytes(data.resolve("a.farl")), "the source is only read");
    }

    @Test
    void shouldRefuseTheSameFolderANonEmptyOneAndOneInsideTheSource() throws IOException {
        assertTrue(DatasetRepair.refusal(data, data).orElseThrow().contains("is the folder being repaired"));
        assertTrue(DatasetRepair.refusal(data, tmp.resolve("data/../data")).isPresent());
        assertTrue(DatasetRepair.refusal(data, data.resolve("fixed")).orElseThrow().contains("inside"));
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("x"), "x");
        assertTrue(DatasetRepair.refusal(data, full).orElseThrow().contains("not empty"));
        assertTrue(DatasetRepair.refusal(tmp.resolve("nope"), tmp.resolve("new")).orElseThrow()
                .contains("is not a folder"));
        assertTrue(DatasetRepair.refusal(data, Files.createDirectories(tmp.resolve("empty"))).isEmpty());
        assertTrue(DatasetRepair.refusal(data, tmp.resolve("new")).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetRepair.repair(data, full));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }

    @Test
    void shouldReportAFileTheReaderRefusesAndGiveItNoCopy() throws IOException {
        Files.writeString(data.resolve("c.farl"), "not a dataset at all");
        DatasetRepair.Report report = DatasetRepair.repair(data, tmp.resolve("fixed"));
        assertFalse(report.allRepaired());
        DatasetRepair.FileReport c = report.datasets().get(1);
        assertEquals("c.farl", c.file());
        assertFalse(c.repaired());
        assertTrue(c.error().contains("file.magic"), c.error());
        assertFalse(Files.exists(tmp.resolve("fixed/c.farl")));
        assertTrue(report.datasets().get(0).repaired() && report.datasets().get(2).repaired());
        try (var files = Files.list(tmp.resolve("fixed"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".repair-tmp")));
        }
    }

    /** Bytes of the frame at {@code at}. */
    private static long frame(byte[] file, long at) {
        return DatasetFormat.FRAME_HEAD_BYTES + ByteBuffer.wrap(file, (int) at, 4).getInt()
                + DatasetFormat.FRAME_TAIL_BYTES;
    }

    /** Bytes of the last frame of the frames in {@code [from, to)}. */
    private static long lastFrame(byte[] file, long from, long to) {
        long p = from;
        while (p + frame(file, p) < to) {
            p += frame(file, p);
        }
        return frame(file, p);
    }
}
