package io.farl.controller.dataset;

import com.google.protobuf.InvalidProtocolBufferException;
import io.farl.protocol.v1.Record;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the complete episodes of a dataset file (layout in {@link DatasetFormat}), in order, lazily.
 *
 * <p>What it accepts, skips and refuses:
 * <ul>
 *   <li>Bytes after the last complete episode that do not make a complete episode (a write cut short by a crash:
 *       a partial frame, an episode without footer, a zero-filled or garbled end with no intact episode header or
 *       footer after it) are a <em>torn tail</em>: reading stops before them, {@link #tornTail()} describes them
 *       and one warning is logged with the file, offset and reason. Complete episodes are never refused because of
 *       a torn tail.</li>
 *   <li>A frame that fails its checks (length CRC, length range, payload CRC: bytes changed after they were
 *       written) with an intact episode header or footer after it makes a <em>damaged episode</em>: it is skipped
 *       up to the next intact header (or past the intact footer ending it) with one warning naming the file, byte
 *       offsets, record and episode index (task and seed when its header is intact) and the failed check, listed
 *       in {@link #skipped()}; the episodes after it read normally, with their own indices (rules in
 *       {@link DamagedEpisodes}). A file whose episodes are all damaged reads as no episodes plus its skips.</li>
 *   <li>Bytes that pass their CRCs but break the format's rules were written that way, by a faulty or newer writer,
 *       and skipping them would hide it: a record that does not parse, a wrong schema version, a size that
 *       disagrees with the header, a non-finite number, footer totals that disagree with the steps, records out
 *       of order, an episode index out of sequence. So is a bad file header (magic, CRC, format version). These
 *       throw {@link DatasetFormatException} naming the file, record index, byte offset and field.</li>
 * </ul>
 * The file's size is taken at open: a file still being appended to reads as the prefix written so far.
 *
 * <p>Single pass, single thread: {@link #iterator()} may be called once. Close it to release the file.
 */
public final class DatasetReader implements Iterable<Episode>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetReader.class);

    /**
     * Bytes after the last complete episode (or skipped damaged episode) that were not read.
     *
     * @param offset byte offset where they start (the end of the last complete or skipped episode)
     * @param length number of bytes up to the end of the file
     * @param reason why they do not form a complete episode
     */
    public record TornTail(long offset, long length, String reason) {
    }

    /**
     * Bytes skipped because a frame in them failed its checks.
     *
     * @param offset       byte offset where the damaged episode starts
     * @param length       bytes skipped, up to the next intact episode header or past the footer ending the damage
     * @param damageOffset byte offset of the frame that failed its checks
     * @param recordIndex  its record's index (0 = first after the file header); -1 when unknown (after an earlier
     *                     skip whose frames could not be counted)
     * @param field        the failed check: {@code frame.length_crc32c}, {@code frame.length}, {@code frame.payload_crc32c}
     * @param problem      what is wrong with it
     * @param episodeIndex index of the (first) damaged episode: its header's, or the one it should carry
     * @param episodes     number of episodes lost in these bytes, from the indices around them
     * @param headerIntact the damaged episode's header was read intact; {@code task} and {@code seed} come from it
     * @param task         the damaged episode's task, empty when its header is damaged
     * @param seed         the damaged episode's seed, 0 when its header is damaged
     */
    public record Skipped(long offset, long length, long damageOffset, long recordIndex, String field,
            String problem, long episodeIndex, long episodes, boolean headerIntact, String task, long seed) {

        /** "record 7 at byte 5230: frame.payload_crc32c does not match the payload". */
        public String reason() {
            return (recordIndex >= 0 ? "record " + recordIndex + " at " : "") + "byte " + damageOffset + ": "
                    + field + " " + problem;
        }

        /** "episode 3 (header: task bounded-push, seed 10)", or "episodes 3 to 4 (header of 3 damaged)". */
        public String describe() {
            String header = episodes == 1 ? "header" : "header of " + episodeIndex;
            return (episodes == 1 ? "episode " + episodeIndex : "episodes " + episodeIndex + " to "
                    + (episodeIndex + episodes - 1)) + " (" + header
                    + (headerIntact ? ": task " + task + ", seed " + seed + ")" : " damaged)");
        }
    }

    /** Where the last episode read lies: its start, its header's end, its footer's frame and its end. */
    record EpisodeBounds(long offset, long headerEnd, long footerOffset, long end) {
    }

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final FrameSource source;
    private final DamagedEpisodes damagedEpisodes;
    private final boolean ownsChannel;

    private long position;
    /** Index of the record at {@link #position}; -1 once unknown. */
    private long recordIndex;
    private long completeEpisodes;
    private long completeEnd;
    /** Index the next episode's header must carry (or, after a skip, may exceed). */
    private long nextIndex;
    /** Damaged bytes were skipped since the last complete episode. */
    private boolean resynced;
    private EpisodeBounds lastBounds;
    private TornTail tornTail;
    private boolean finished;
    private boolean iterated;

    /** Checks the file header (see {@link FrameSource#checkFileHeader}). */
    private DatasetReader(Path file, FileChannel channel, long size, boolean ownsChannel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.ownsChannel = ownsChannel;
        this.source = new FrameSource(file, channel, size);
        this.damagedEpisodes = new DamagedEpisodes(file, source);
        Optional<String> incomplete = source.checkFileHeader();
        if (incomplete.isPresent()) {
            // Creation was cut short before the header was complete: an empty dataset.
            finish(0, incomplete.get());
        } else {
            position = DatasetFormat.FILE_HEADER_BYTES;
            completeEnd = position;
        }
    }

    /**
     * Opens a dataset file and checks its file header.
     *
     * @throws DatasetFormatException when it is not a FARL dataset or has another format version
     */
    public static DatasetReader open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new DatasetReader(file, channel, channel.size(), true);
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A reader over a channel the caller keeps open (the writer's, so that its file lock survives: closing any
     * channel of a file releases the process's locks on it).
     */
    static DatasetReader over(Path file, FileChannel channel) throws IOException {
        return new DatasetReader(file, channel, channel.size(), false);
    }

    /** Reads every complete episode of a file into memory. */
    public static List<Episode> readAll(Path file) throws IOException {
        List<Episode> all = new ArrayList<>();
        try (DatasetReader r = open(file)) {
            r.forEach(all::add);
        }
        return all;
    }

    /** Path of the file being read. */
    public Path file() {
        return file;
    }

    /** Size of the file when it was opened, bytes. */
    public long fileSize() {
        return size;
    }

    /** Complete episodes read so far. */
    public long completeEpisodes() {
        return completeEpisodes;
    }

    /** Byte offset just after the last complete episode read so far (the file header's end when none). */
    public long completeEnd() {
        return completeEnd;
    }

    /** The damaged episodes skipped so far, in file order; empty for an undamaged file. */
    public List<Skipped> skipped() {
        return damagedEpisodes.skipped();
    }

    /** Where the episode read last lies in the file; null before the first. */
    EpisodeBounds lastBounds() {
        return lastBounds;
    }

    /** The torn tail, once reading has reached it; empty before the end or when the file ends cleanly. */
    public Optional<TornTail> tornTail() {
        return Optional.ofNullable(tornTail);
    }

    /** True once every complete episode has been read (and every damaged one skipped). */
    public boolean finished() {
        return finished;
    }

    /** Reads to the end without keeping episodes, handing each to {@code sink}; returns the count. */
    public long drain(Consumer<Episode> sink) throws IOException {
        Episode e;
        while ((e = next()) != null) {
            sink.accept(e);
        }
        return completeEpisodes;
    }

    @Override
    public Iterator<Episode> iterator() {
        if (iterated) {
            throw new IllegalStateException("a DatasetReader is single-pass; open the file again");
        }
        iterated = true;
        return new Iterator<>() {
            private Episode pending;

            @Override
            public boolean hasNext() {
                if (pending == null && !finished) {
                    try {
                        pending = DatasetReader.this.next();
                    } catch (IOException e) {
                        throw new UncheckedIOException(file + ": " + e.getMessage(), e);
                    }
                }
                return pending != null;
            }

            @Override
            public Episode next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Episode e = pending;
                pending = null;
                return e;
            }
        };
    }

    @Override
    public void close() throws IOException {
        if (ownsChannel) {
            channel.close();
        }
    }

    /** The next complete episode, or null at the end (clean or torn); damaged episodes are skipped on the way. */
    private Episode next() throws IOException {
        while (!finished) {
            Episode e = readEpisode(position);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /**
     * Reads the episode that starts at {@code start}; null when reading finished (clean end or torn tail) or when the
     * episode was damaged and skipped (then {@link #position} is where the next one starts).
     */
    private Episode readEpisode(long start) throws IOException {
        EpisodeChecker checker = null;
        Episode.Header header = null;
        List<Episode.Step> steps = new ArrayList<>();
        long headerEnd = -1;
        while (true) {
            long frameOffset = position;
            FrameSource.Intact frame = nextFrame(start, header, steps.size());
            if (frame == null) {
                return null;
            }
            Record record = parse(frame);
            long index = recordIndex;
            position = frame.end();
            recordIndex = recordIndex < 0 ? -1 : recordIndex + 1;
            try {
                switch (record.getBodyCase()) {
                    case HEADER -> {
                        if (checker != null) {
                            throw new InvalidRecordException("header", "of a new episode before the footer of episode "
                                    + header.index());
                        }
                        header = ProtoMapping.fromProto(record.getHeader());
                        checker = new EpisodeChecker(acceptedIndex(header));
                        checker.header(header);
                        headerEnd = position;
                    }
                    case STEP -> {
                        Episode.Step step = ProtoMapping.fromProto(record.getStep());
                        if (checker == null) {
                            throw new InvalidRecordException("step", "before any episode header");
                        }
                        checker.step(step);
                        steps.add(step);
                    }
                    case FOOTER -> {
                        Episode.Footer footer = ProtoMapping.fromProto(record.getFooter());
                        if (checker == null) {
                            throw new InvalidRecordException("footer", "before any episode header");
                        }
                        checker.footer(footer);
                        return complete(new Episode(header, steps, footer),
                                new EpisodeBounds(start, headerEnd, frameOffset, position));
                    }
                    default -> throw new InvalidRecordException("record.body", "is not set");
                }
            } catch (InvalidRecordException e) {
                throw new DatasetFormatException(file, index, frameOffset, e.field(),
                        e.getMessage().substring(e.field().length() + 1), e);
            }
        }
    }

    /**
     * The intact frame at {@link #position}; null when there is none, after finishing (clean end, torn tail) or
     * skipping the damaged episode that began at {@code start}.
     */
    private FrameSource.Intact nextFrame(long start, Episode.Header header, int steps) throws IOException {
        FrameSource.FrameRead read = source.frameAt(position);
        if (read instanceof FrameSource.Intact frame) {
            return frame;
        }
        if (read instanceof FrameSource.End) {
            finish(start, header == null ? null : "episode " + header.index() + " has a header and " + steps
                    + " steps but no footer");
        } else if (read instanceof FrameSource.Torn torn) {
            finish(start, torn.reason());
        } else {
            damaged(new DamagedEpisodes.Damage(start, position, recordIndex, header,
                    header != null ? header.index() : nextIndex), (FrameSource.Damaged) read);
        }
        return null;
    }

    /** A verified payload that does not parse was written that way: an error, not damage. */
    private Record parse(FrameSource.Intact frame) {
        try {
            return Record.parseFrom(frame.payload());
        } catch (InvalidProtocolBufferException e) {
            throw new DatasetFormatException(file, recordIndex, frame.offset(), "record",
                    "does not parse as farl.v1.Record: " + e.getMessage(), e);
        }
    }

    /**
     * The index an episode header may carry: the next in sequence, or after skipped damage any index from the one
     * after the damaged episodes on (the damage may have taken several).
     */
    private long acceptedIndex(Episode.Header header) {
        if (!resynced || header.index() < nextIndex) {
            return nextIndex;
        }
        return header.index();
    }

    private Episode complete(Episode episode, EpisodeBounds bounds) {
        completeEpisodes++;
        completeEnd = position;
        nextIndex = episode.index() + 1;
        resynced = false;
        lastBounds = bounds;
        return episode;
    }

    private void damaged(DamagedEpisodes.Damage at, FrameSource.Damaged damage) throws IOException {
        DamagedEpisodes.Resolution r = damagedEpisodes.resolve(at, damage);
        if (r instanceof DamagedEpisodes.TornTail torn) {
            finish(at.episodeStart(), torn.reason());
            return;
        }
        DamagedEpisodes.Resume resume = (DamagedEpisodes.Resume) r;
        position = resume.offset();
        recordIndex = resume.recordIndex();
        nextIndex = resume.minIndex();
        resynced = true;
    }

    private void finish(long tailOffset, String reason) {
        finished = true;
        long tailLength = size - tailOffset;
        if (reason != null && tailLength > 0) {
            tornTail = new TornTail(tailOffset, tailLength, reason);
            LOG.warn("{}: skipping torn tail at byte offset {} ({} bytes) after {} complete episodes: {}", file,
                    tailOffset, tailLength, completeEpisodes, reason);
        } else if (reason != null) {
            tornTail = new TornTail(tailOffset, 0, reason);
        }
    }
}
