package io.farl.controller.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.protocol.v1.Record;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged episodes in the middle of a file are skipped, the reader resynchronises on the next intact one. */
class DatasetSkipTest {

    @TempDir
    Path dir;

    private List<Episode> episodes;
    /** File size after each complete episode; ends[0] is the file header. */
    private List<Long> ends;
    private byte[] bytes;

    @BeforeEach
    void writeFiveEpisodes() throws IOException {
        SyntheticEpisodes.Written w = SyntheticEpisodes.write(dir.resolve("five.farl"), 5,
                i -> SyntheticEpisodes.episode(i, 4 + i, 20 + i));
        episodes = w.episodes();
        ends = w.ends();
        bytes = w.bytes();
    }

    @Test
    void shouldReadTheOtherFourWhenOneBitOfAStepPayloadOfTheSecondOfFiveFlips() throws IOException {
        long step = recordOffset(1, 2);
        Path bad = write("step.farl", flip(bytes, step + 8 + 30, 0x04));
        try (LogCapture log = new LogCapture(); DatasetReader r = DatasetReader.open(bad)) {
            assertEquals(List.of(episodes.get(0), episodes.get(2), episodes.get(3), episodes.get(4)), readAll(r));
            assertEquals(List.of(new DatasetReader.Skipped(ends.get(1), ends.get(2) - ends.get(1), step,
                    recordIndex(1, 2), "frame.payload_crc32c", "does not match the payload", 1, 1, true,
                    "bounded-push", 21)), r.skipped());
            assertTrue(r.tornTail().isEmpty());
            assertEquals(4, r.completeEpisodes());
            String warning = log.text();
            assertTrue(warning.contains("WARN") && warning.contains(bad + ": skipping damaged episode 1 (header: task "
                    + "bounded-push, seed 21) at byte offset " + ends.get(1) + " (" + (ends.get(2) - ends.get(1))
                    + " bytes): record " + recordIndex(1, 2) + " at byte " + step + ": frame.payload_crc32c does not "
                    + "match the payload; resuming at byte " + ends.get(2)), warning);
            assertEquals(1, warning.lines().filter(l -> l.contains("WARN")).count(), warning);
        }
    }

    @Test
    void shouldSkipAnEpisodeWhoseStepLengthFieldFlipped() throws IOException {
        long step = recordOffset(1, 1);
        try (LogCapture log = new LogCapture();
                DatasetReader r = DatasetReader.open(write("length.farl", flip(bytes, step + 2, 0x80)))) {
            assertEquals(List.of(0L, 2L, 3L, 4L), indices(readAll(r)));
            DatasetReader.Skipped s = r.skipped().get(0);
            assertEquals(List.of(ends.get(1), ends.get(2) - ends.get(1), step), List.of(s.offset(), s.length(),
                    s.damageOffset()));
            assertEquals("frame.length_crc32c", s.field());
            assertTrue(s.headerIntact());
        }
    }

    @Test
    void shouldSkipAnEpisodeWhoseHeaderRecordFlippedAndSayTheHeaderIsDamaged() throws IOException {
        long header = ends.get(2);
        Path bad = write("header.farl", flip(bytes, header + 8 + 5, 0x01));
        try (LogCapture log = new LogCapture(); DatasetReader r = DatasetReader.open(bad)) {
            assertEquals(List.of(0L, 1L, 3L, 4L), indices(readAll(r)));
            assertEquals(List.of(new DatasetReader.Skipped(header, ends.get(3) - header, header, recordIndex(2, 0),
                    "frame.payload_crc32c", "does not match the payload", 2, 1, false, "", 0)), r.skipped());
            assertTrue(log.text().contains("skipping damaged episode 2 (header damaged) at byte offset " + header),
                    log.text());
        }
    }

    @Test
    void shouldSkipDamageInTheLastCompleteEpisodeAndStillSetTheTornTailAside() throws IOException {
        Path file = dir.resolve("torn.farl");
        Files.write(file, bytes);
        try (DatasetWriter w = DatasetWriter.open(file)) {
            w.beginEpisode(SyntheticEpisodes.header(5, 25));
            w.appendStep(SyntheticEpisodes.episode(5, 3, 25).steps().get(0));
        }
        byte[] torn = Files.readAllBytes(file);
        long step = recordOffset(4, 3);
        Path bad = write("last.farl", flip(torn, step + 8 + 40, 0x20));
        try (LogCapture log = new LogCapture(); DatasetReader r = DatasetReader.open(bad)) {
            assertEquals(episodes.subList(0, 4), readAll(r));
            DatasetReader.Skipped s = r.skipped().get(0);
            assertEquals(List.of(ends.get(4), ends.get(5) - ends.get(4), 4L), List.of(s.offset(), s.length(),
                    s.episodeIndex()));
            DatasetReader.TornTail tail = r.tornTail().orElseThrow();
            assertEquals(ends.get(5), tail.offset());
            assertEquals(torn.length - ends.get(5), tail.length());
            assertTrue(tail.reason().contains("episode 5 has a header and 1 steps but no footer"), tail.reason());
            assertEquals(ends.get(4), r.completeEnd(), "the end of the last intact episode");
            assertTrue(log.text().contains("skipping damaged episode 4") && log.text().contains("torn tail"),
                    log.text());
        }
    }

    @Test
    void shouldReportTwoAdjacentDamagedEpisodesAsTwoSkips() throws IOException {
        byte[] damaged = flip(flip(bytes, recordOffset(1, 2) + 8 + 10, 0x02), recordOffset(2, 1) + 8 + 10, 0x02);
        try (LogCapture log = new LogCapture(); DatasetReader r = DatasetReader.open(write("two.farl", damaged))) {
            assertEquals(List.of(0L, 3L, 4L), indices(readAll(r)));
            assertEquals(List.of(ends.get(1), ends.get(2)), r.skipped().stream().map(DatasetReader.Skipped::offset)
                    .toList());
            assertEquals(List.of(1L, 2L), r.skipped().stream().map(DatasetReader.Skipped::episodeIndex).toList());
            assertEquals(List.of(recordIndex(1, 2), recordIndex(2, 1)), r.skipped().stream()
                    .map(DatasetReader.Skipped::recordIndex).toList(), "payload damage keeps record indices exact");
            assertEquals(2, log.text().lines().filter(l -> l.contains("skipping damaged episode")).count());
        }
    }

    @Test
    void shouldCountBothEpisodesWhenTheFooterOfOneAndTheHeaderOfTheNextAreDamaged() throws IOException {
        byte[] damaged = flip(flip(bytes, ends.get(2) - 6, 0x08), ends.get(2) + 1, 0x08);
        try (LogCapture log = new LogCapture(); DatasetReader r = DatasetReader.open(write("pair.farl", damaged))) {
            assertEquals(List.of(0L, 3L, 4L), indices(readAll(r)));
            DatasetReader.Skipped s = r.skipped().get(0);
            assertEquals(1, r.skipped().size());
            assertEquals(List.of(ends.get(1), ends.get(3) - ends.get(1), 1L, 2L), List.of(s.offset(), s.length(),
                    s.episodeIndex(), s.episodes()));
            assertEquals("episodes 1 to 2 (header of 1: task bounded-push, seed 21)", s.describe());
        }
    }

    @Test
    void shouldReadNoEpisodeButReportTheSkipWhenTheOnlyEpisodeIsDamaged() throws IOException {
        byte[] one = Arrays.copyOf(bytes, (int) (long) ends.get(1));
        Path bad = write("one.farl", flip(one, recordOffset(0, 1) + 8 + 3, 0x40));
        try (LogCapture log = new LogCapture(); DatasetReader r = DatasetReader.open(bad)) {
            assertEquals(List.of(), readAll(r));
            assertEquals(1, r.skipped().size());
            assertEquals(List.of(16L, one.length - 16L), List.of(r.skipped().get(0).offset(),
                    r.skipped().get(0).length()));
            assertTrue(r.tornTail().isEmpty(), "the damaged episode ends with its intact footer: no tail");
        }
    }

    @Test
    void shouldRefuseToAppendToADamagedFileNamingRepairAndLeaveItUntouched() throws IOException {
        byte[] damaged = flip(bytes, recordOffset(1, 2) + 8 + 30, 0x04);
        byte[] withTail = Arrays.copyOf(damaged, damaged.length + 100);
        withTail[damaged.length + 50] = 7;
        Path bad = write("append.farl", withTail);
        try (LogCapture log = new LogCapture()) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetWriter.open(bad));
            assertTrue(e.getMessage().startsWith(bad + ": record " + recordIndex(1, 2) + " at byte "
                    + recordOffset(1, 2) + ": frame.payload_crc32c does not match the payload (1 damaged episode(s)"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("farl repair"), e.getMessage());
        }
        assertArrayEquals(withTail, Files.readAllBytes(bad), "neither the torn tail nor anything else was cut");
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith("append.farl.torn-")));
        }
    }

    @Test
    void shouldRefuseAnEpisodeIndexThatGoesBackAfterASkip() throws IOException {
        // episode 0, a damaged episode 1, then an intact episode that claims index 1 again: it verifies, so it was
        // written that way, and going back is an error rather than more damage
        try (DatasetWriter w = DatasetWriter.open(dir.resolve("other.farl"))) {
            w.append(SyntheticEpisodes.episode(0, 2, 5));
            w.append(SyntheticEpisodes.episode(1, 2, 5));
        }
        byte[] other = Files.readAllBytes(dir.resolve("other.farl"));
        int otherSecond = 16 + frameLengths(other, 16, 4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, (int) (long) ends.get(2));
        out.write(other, otherSecond, other.length - otherSecond);
        Path again = write("again.farl", flip(out.toByteArray(), recordOffset(1, 1) + 8 + 3, 0x01));
        try (LogCapture log = new LogCapture()) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.readAll(again));
            assertEquals("header.episode_index", e.field());
            assertEquals(ends.get(2), e.byteOffset());
            assertTrue(e.getMessage().contains("is 1, expected 2"), e.getMessage());
        }
    }

    @Test
    void shouldNotResynchroniseOnAFrameLookalikeWhosePayloadCrcFails() throws IOException {
        // Step 1 of episode 1 carries, in its observation, the frame of episode 2's header with its payload CRC
        // broken: length and length CRC match, so only checking the whole frame tells it from a real header.
        int headerFrame = frameLengths(bytes, ends.get(2), 1);
        byte[] lookalike = Arrays.copyOfRange(bytes, (int) (long) ends.get(2), (int) (ends.get(2) + headerFrame));
        lookalike[lookalike.length - 1] ^= 0x01;
        double[] obs = new double[SyntheticEpisodes.OBS];
        ByteBuffer.wrap(Arrays.copyOf(lookalike, obs.length * 8)).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer()
                .get(obs);
        assertTrue(Arrays.stream(obs).allMatch(Double::isFinite) && lookalike.length <= obs.length * 8);
        Episode plain = episodes.get(1);
        List<Episode.Step> steps = new ArrayList<>(plain.steps());
        Episode.Step s = steps.get(1);
        steps.set(1, new Episode.Step(s.index(), s.stampNanos(), obs, s.proposedAction(), s.executedAction(),
                s.reward(), s.irFailure(), s.success(), s.mode(), s.failureCost(), s.interventions(),
                s.policyVersion(), s.logProb(), s.nextObservation(), s.terminated(), s.truncated()));
        Path file = dir.resolve("lookalike.farl");
        try (DatasetWriter w = DatasetWriter.open(file)) {
            for (Episode e : List.of(episodes.get(0), new Episode(plain.header(), steps, plain.footer()),
                    episodes.get(2))) {
                w.append(e);
            }
        }
        byte[] written = Files.readAllBytes(file);
        Files.write(file, flip(written, recordOffset(written, 1, 0) + 8 + 3, 0x01));
        try (LogCapture log = new LogCapture(); DatasetReader r = DatasetReader.open(file)) {
            assertEquals(List.of(episodes.get(0), episodes.get(2)), readAll(r));
            assertEquals(1, r.skipped().size());
            assertEquals(written.length - ends.get(1) - (ends.get(3) - ends.get(2)), r.skipped().get(0).length(),
                    "skipped to the real header of episode 2, not into the lookalike");
        }
    }

    private static List<Episode> readAll(DatasetReader r) {
        List<Episode> read = new ArrayList<>();
        r.forEach(read::add);
        return read;
    }

    private static List<Long> indices(List<Episode> read) {
        return read.stream().map(Episode::index).toList();
    }

    /** Byte offset of record {@code record} (0 = header) of episode {@code episode} in the intact file. */
    private long recordOffset(int episode, int record) {
        return recordOffset(bytes, episode, record);
    }

    private static long recordOffset(byte[] file, int episode, int record) {
        long p = DatasetFormat.FILE_HEADER_BYTES;
        for (int e = 0; e < episode; e++) {
            // an episode's records: header, its steps, footer; walk them by reading each header's step count
            p += frameLengths(file, p, 2 + stepsOf(file, p));
        }
        return p + frameLengths(file, p, record);
    }

    /** Index of record {@code record} of episode {@code episode}: header + steps + footer per earlier episode. */
    private long recordIndex(int episode, int record) {
        long n = 0;
        for (int e = 0; e < episode; e++) {
            n += episodes.get(e).length() + 2;
        }
        return n + record;
    }

    /** Bytes of the {@code count} frames that start at {@code from}. */
    private static int frameLengths(byte[] file, long from, int count) {
        long p = from;
        for (int i = 0; i < count; i++) {
            p += DatasetFormat.FRAME_HEAD_BYTES + ByteBuffer.wrap(file, (int) p, 4).getInt()
                    + DatasetFormat.FRAME_TAIL_BYTES;
        }
        return (int) (p - from);
    }

    /** Steps of the episode whose header frame starts at {@code headerAt}, counted up to its footer. */
    private static int stepsOf(byte[] file, long headerAt) {
        long p = headerAt + frameLengths(file, headerAt, 1);
        int steps = 0;
        while (true) {
            int length = ByteBuffer.wrap(file, (int) p, 4).getInt();
            try {
                if (Record.parseFrom(Arrays.copyOfRange(file, (int) p + 8, (int) p + 8 + length)).hasFooter()) {
                    return steps;
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
            steps++;
            p += DatasetFormat.FRAME_HEAD_BYTES + length + DatasetFormat.FRAME_TAIL_BYTES;
        }
    }

    private static byte[] flip(byte[] file, long at, int mask) {
        byte[] copy = file.clone();
        copy[(int) at] ^= (byte) mask;
        return copy;
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }
}
