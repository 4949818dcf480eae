package io.farl.controller.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.protocol.v1.EpisodeHeader;
import io.farl.protocol.v1.Record;
import io.farl.protocol.v1.Step;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetDamageTest {

    @TempDir
    Path dir;

    private List<Episode> episodes;
    /** File size after each complete episode; ends[0] is the file header. */
    private List<Long> ends;
    private Path file;
    private byte[] bytes;

    @BeforeEach
    void writeThreeEpisodes() throws IOException {
        file = dir.resolve("three.farl");
        SyntheticEpisodes.Written w = SyntheticEpisodes.write(file, 3, i -> SyntheticEpisodes.episode(i,
                i == 2 ? 4 : 6, 7 + i));
        episodes = w.episodes();
        ends = w.ends();
        bytes = w.bytes();
    }

    @Test
    void shouldReturnExactlyTheCompleteEpisodesWhenCutAtEveryByteOfTheLastOne() throws IOException {
        Path cut = write("cut.farl", bytes);
        long start = ends.get(2);
        long warnings = 0;
        // Longest cut first, so each iteration is one truncate instead of a rewrite.
        for (long length = bytes.length - 1; length >= start; length--) {
            truncate(cut, length);
            try (LogCapture log = new LogCapture(); DatasetReader r = DatasetReader.open(cut)) {
                List<Episode> read = new ArrayList<>();
                r.forEach(read::add);
                assertEquals(episodes.subList(0, 2), read, "cut at " + length);
                assertEquals(start, r.completeEnd());
                if (length > start) {
                    DatasetReader.TornTail tail = r.tornTail().orElseThrow(() -> new AssertionError("no tail"));
                    assertEquals(start, tail.offset());
                    assertEquals(length - start, tail.length());
                    String text = log.text();
                    assertTrue(text.contains("WARN") && text.contains(cut.toString())
                            && text.contains("offset " + start), "warning names file and offset: " + text);
                    warnings++;
                } else {
                    assertTrue(r.tornTail().isEmpty());
                }
            }
        }
        assertEquals(bytes.length - start - 1, warnings);
        assertEquals(episodes, DatasetReader.readAll(file));
    }

    @Test
    void shouldReadEveryPrefixAsItsCompleteEpisodes() throws IOException {
        // Coarser sweep over the whole file: every 7th cut, including inside the file header.
        Path cut = write("prefix.farl", bytes);
        try (LogCapture log = new LogCapture()) {
            for (int length = bytes.length - bytes.length % 7; length >= 0; length -= 7) {
                truncate(cut, length);
                int complete = 0;
                while (complete < 3 && ends.get(complete + 1) <= length) {
                    complete++;
                }
                assertEquals(episodes.subList(0, complete), DatasetReader.readAll(cut), "cut at " + length);
            }
            assertTrue(log.text().contains("the file header is incomplete"), log.text());
        }
    }

    @Test
    void shouldSkipTheEpisodeOfAFlippedPayloadByteNamingFileRecordAndField() throws IOException {
        // Record 2 is the second step of episode 0; flip a byte in the middle of its payload. Before, this made the
        // whole file unreadable; now episode 0 is skipped with a warning and episodes 1 and 2 read.
        long offset = frameOffset(2);
        byte[] damaged = bytes.clone();
        damaged[(int) offset + 8 + 20] ^= 0x10;
        Path bad = write("flipped.farl", damaged);
        try (LogCapture log = new LogCapture(); DatasetReader r = DatasetReader.open(bad)) {
            List<Episode> read = new ArrayList<>();
            r.forEach(read::add);
            assertEquals(episodes.subList(1, 3), read);
            DatasetReader.Skipped s = r.skipped().get(0);
            assertEquals(1, r.skipped().size());
            assertEquals(2, s.recordIndex());
            assertEquals(offset, s.damageOffset());
            assertEquals("frame.payload_crc32c", s.field());
            assertEquals("record 2 at byte " + offset + ": frame.payload_crc32c does not match the payload",
                    s.reason());
            assertTrue(log.text().contains(bad + ": skipping damaged episode 0 (header: task bounded-push, seed 7)"
                    + " at byte offset 16"), log.text());
        }
    }

    @Test
    void shouldSkipExactlyTheFirstEpisodeWhateverBitOfItFlips() throws IOException {
        Path bad = write("any.farl", bytes);
        long first = ends.get(1);
        try (LogCapture log = new LogCapture(); java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(bad, java.nio.file.StandardOpenOption.WRITE)) {
            for (int at = DatasetFormat.FILE_HEADER_BYTES; at < first; at++) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (bytes[at] ^ 0x01)}), at);
                try (DatasetReader r = DatasetReader.open(bad)) {
                    List<Episode> read = new ArrayList<>();
                    r.forEach(read::add);
                    assertEquals(episodes.subList(1, 3), read, "flip at " + at);
                    assertEquals(1, r.skipped().size(), "flip at " + at);
                    DatasetReader.Skipped s = r.skipped().get(0);
                    assertEquals(List.of(16L, first - 16, 0L, 1L), List.of(s.offset(), s.length(), s.episodeIndex(),
                            s.episodes()), "flip at " + at);
                    assertTrue(s.damageOffset() <= at && at < s.offset() + s.length(), "flip at " + at);
                    assertTrue(r.tornTail().isEmpty(), "flip at " + at);
                }
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {bytes[at]}), at);
            }
            assertEquals(first - 16, log.text().lines().filter(l -> l.contains(bad + ": skipping damaged episode 0"))
                    .count(), "one warning per damaged read");
        }
    }

    @Test
    void shouldNameTheLengthWhenALengthFieldIsDamaged() throws IOException {
        long offset = frameOffset(1);
        byte[] damaged = bytes.clone();
        damaged[(int) offset + 1] ^= 0x40;
        try (LogCapture log = new LogCapture(); DatasetReader r = DatasetReader.open(write("length.farl", damaged))) {
            assertEquals(2, r.drain(e -> { }));
            DatasetReader.Skipped s = r.skipped().get(0);
            assertEquals("frame.length_crc32c", s.field());
            assertEquals(1, s.recordIndex());
            assertEquals(offset, s.damageOffset());
        }
    }

    @Test
    void shouldRefuseAWrongSchemaVersion() throws IOException {
        Record header = ProtoMapping.toProto(SyntheticEpisodes.header(0, 1));
        Record v2 = Record.newBuilder().setHeader(EpisodeHeader.newBuilder(header.getHeader()).setSchemaVersion(2))
                .build();
        Path bad = write("v2.farl", fileOf(v2));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.readAll(bad));
        assertEquals("header.schema_version", e.field());
        assertEquals(0, e.recordIndex());
        assertTrue(e.getMessage().contains("is 2"), e.getMessage());
    }

    @Test
    void shouldRefuseNonFiniteNumbersAndMismatchedSizesInTheFile() throws IOException {
        Episode ep = episodes.get(0);
        Record header = ProtoMapping.toProto(ep.header());
        Step step = ProtoMapping.toProto(ep.steps().get(0)).getStep();
        Record nan = Record.newBuilder().setStep(Step.newBuilder(step).setObservation(4, Double.NaN)).build();
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> DatasetReader.readAll(write("nan.farl", fileOf(header, nan))));
        assertEquals("step.observation[4]", e.field());
        assertEquals(1, e.recordIndex());

        Record shorter = Record.newBuilder().setStep(Step.newBuilder(step).addNextObservation(0.5)).build();
        e = assertThrows(DatasetFormatException.class,
                () -> DatasetReader.readAll(write("size.farl", fileOf(header, shorter))));
        assertEquals("step.next_observation", e.field());
        assertTrue(e.getMessage().contains("has 40 entries, header says 39"), e.getMessage());
    }

    @Test
    void shouldRefuseAFileThatIsNotADataset() throws IOException {
        Path bad = write("text.farl", "hello, this is not a dataset".getBytes());
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.open(bad));
        assertEquals("file.magic", e.field());
        assertThrows(DatasetFormatException.class, () -> DatasetWriter.open(bad));
    }

    @Test
    void shouldTreatAZeroFilledOrGarbledEndAsATornTail() throws IOException {
        byte[] zeros = Arrays.copyOf(bytes, bytes.length + 4096);
        try (LogCapture log = new LogCapture()) {
            assertEquals(episodes, DatasetReader.readAll(write("zeros.farl", zeros)));
            assertTrue(log.text().contains("zero-filled"), log.text());
        }
        // The last episode's step frames are intact but its footer is garbled: nothing after it proves damage
        // to complete data, so episode 2 is an incomplete tail.
        byte[] garbled = bytes.clone();
        garbled[garbled.length - 3] ^= 0x55;
        try (LogCapture log = new LogCapture()) {
            assertEquals(episodes.subList(0, 2), DatasetReader.readAll(write("garbled.farl", garbled)));
            assertTrue(log.text().contains("frame.payload_crc32c does not match the payload at byte")
                    && log.text().contains("no intact footer follows"), log.text());
        }
    }

    @Test
    void shouldResumeAfterATornTailKeepingTheTailInASideFile() throws IOException {
        long cut = ends.get(2) + (ends.get(3) - ends.get(2)) / 2;
        byte[] torn = Arrays.copyOf(bytes, (int) cut);
        Path resumed = write("resume.farl", torn);
        Episode replacement = SyntheticEpisodes.episode(2, 5, 99);
        try (LogCapture log = new LogCapture(); DatasetWriter w = DatasetWriter.open(resumed)) {
            assertEquals(2, w.completeEpisodes());
            Path side = w.preservedTail().orElseThrow();
            assertEquals(resumed.getFileName() + ".torn-" + ends.get(2), side.getFileName().toString());
            assertArrayEquals(Arrays.copyOfRange(torn, (int) (long) ends.get(2), torn.length),
                    Files.readAllBytes(side));
            assertTrue(log.text().contains("torn bytes"), log.text());
            w.append(replacement);
        }
        List<Episode> read = DatasetReader.readAll(resumed);
        assertEquals(3, read.size());
        assertEquals(episodes.subList(0, 2), read.subList(0, 2));
        assertEquals(replacement, read.get(2));

        // A second crash at the same offset must not overwrite the first side file.
        Files.write(resumed, torn);
        try (LogCapture log = new LogCapture(); DatasetWriter w = DatasetWriter.open(resumed)) {
            assertEquals(resumed.getFileName() + ".torn-" + ends.get(2) + "-1",
                    w.preservedTail().orElseThrow().getFileName().toString());
            assertTrue(log.text().contains(".torn-" + ends.get(2) + "-1"), log.text());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.filter(p -> p.getFileName().toString().startsWith("resume.farl.torn-")).count());
        }
    }

    @Test
    void shouldResumeAnEpisodeLeftOpenByClose() throws IOException {
        Path f = dir.resolve("open.farl");
        try (LogCapture log = new LogCapture()) {
            try (DatasetWriter w = DatasetWriter.open(f)) {
                w.append(SyntheticEpisodes.episode(0, 2, 1));
                w.beginEpisode(SyntheticEpisodes.header(1, 2));
            }
            assertTrue(log.text().contains("closed with episode 1 incomplete"), log.text());
            try (DatasetWriter w = DatasetWriter.open(f)) {
                assertEquals(1, w.completeEpisodes());
                assertTrue(w.preservedTail().isPresent());
                w.append(SyntheticEpisodes.episode(1, 3, 2));
            }
        }
        assertEquals(2, DatasetReader.readAll(f).size());
    }

    @Test
    void shouldRecreateAFileWhoseHeaderWasTorn() throws IOException {
        Path f = write("header.farl", Arrays.copyOf(bytes, 5));
        try (LogCapture log = new LogCapture()) {
            assertEquals(List.of(), DatasetReader.readAll(f));
            assertTrue(log.text().contains("the file header is incomplete (5 of 16 bytes)"), log.text());
            try (DatasetWriter w = DatasetWriter.open(f)) {
                assertEquals(0, w.completeEpisodes());
                assertEquals(5, Files.size(w.preservedTail().orElseThrow()));
                w.append(episodes.get(0));
            }
        }
        assertEquals(episodes.subList(0, 1), DatasetReader.readAll(f));
        assertFalse(Files.size(f) < ends.get(1));
    }

    /** Byte offset of record {@code index}, walking the frames of the intact file. */
    private long frameOffset(int index) {
        long p = DatasetFormat.FILE_HEADER_BYTES;
        for (int i = 0; i < index; i++) {
            int length = java.nio.ByteBuffer.wrap(bytes, (int) p, 4).getInt();
            p += DatasetFormat.FRAME_HEAD_BYTES + length + DatasetFormat.FRAME_TAIL_BYTES;
        }
        return p;
    }

    private static void truncate(Path file, long length) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(length);
        }
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] fileOf(Record... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(DatasetFormat.fileHeader());
        for (Record r : records) {
            out.write(DatasetFormat.frame(r.toByteArray()));
        }
        return out.toByteArray();
    }
}
