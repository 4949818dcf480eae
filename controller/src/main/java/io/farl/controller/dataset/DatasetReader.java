package io.farl.controller.dataset;

import com.google.protobuf.InvalidProtocolBufferException;
import io.farl.protocol.v1.Record;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>What it accepts and what it refuses:
 * <ul>
 *   <li>Bytes after the last complete episode that do not make a complete episode (a write cut short by a crash:
 *       a partial frame, an episode without footer, a zero-filled or garbled end with no intact footer after it)
 *       are a <em>torn tail</em>: reading stops before them, {@link #tornTail()} describes them and one warning
 *       is logged with the file, offset and reason. Complete episodes are never refused because of a torn tail.</li>
 *   <li>Anything wrong before an intact footer (a CRC mismatch, a bad length, a record that does not parse, a
 *       wrong schema version, a size that disagrees with the header, a non-finite number, footer totals that
 *       disagree with the steps) is corruption of complete data: {@link DatasetFormatException} naming the file,
 *       record index, byte offset and field.</li>
 * </ul>
 * The file's size is taken at open: a file still being appended to reads as the prefix written so far.
 *
 * <p>Single pass, single thread: {@link #iterator()} may be called once. Close it to release the file.
 */
public final class DatasetReader implements Iterable<Episode>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetReader.class);
    private static final int WINDOW = 1 << 20;

    /**
     * Bytes after the last complete episode that were not read.
     *
     * @param offset byte offset where they start (the end of the last complete episode)
     * @param length number of bytes up to the end of the file
     * @param reason why they do not form a complete episode
     */
    public record TornTail(long offset, long length, String reason) {
    }

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
    private long windowStart = -1;
    private int windowLength;

    private long position;
    private long recordIndex;
    private long completeEpisodes;
    private long completeEnd;
    private TornTail tornTail;
    private boolean finished;
    private boolean iterated;

    private final boolean ownsChannel;

    private DatasetReader(Path file, FileChannel channel, long size, boolean ownsChannel) {
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.ownsChannel = ownsChannel;
    }

    /**
     * Opens a dataset file and checks its file header.
     *
     * @throws DatasetFormatException when it is not a FARL dataset or has another format version
     */
    public static DatasetReader open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        DatasetReader reader = new DatasetReader(file, channel, channel.size(), true);
        try {
            reader.readFileHeader();
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
        return reader;
    }

    /**
     * A reader over a channel the caller keeps open (the writer's, so that its file lock survives: closing any
     * channel of a file releases the process's locks on it).
     */
    static DatasetReader over(Path file, FileChannel channel) throws IOException {
        DatasetReader reader = new DatasetReader(file, channel, channel.size(), false);
        reader.readFileHeader();
        return reader;
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

    /** The torn tail, once reading has reached it; empty before the end or when the file ends cleanly. */
    public Optional<TornTail> tornTail() {
        return Optional.ofNullable(tornTail);
    }

    /** True once every complete episode has been read. */
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

    private void readFileHeader() throws IOException {
        byte[] expected = DatasetFormat.fileHeader();
        int available = (int) Math.min(size, DatasetFormat.FILE_HEADER_BYTES);
        byte[] actual = read(0, available);
        if (available < DatasetFormat.FILE_HEADER_BYTES) {
            if (Arrays.equals(actual, Arrays.copyOf(expected, available))) {
                // Creation was cut short before the header was complete: an empty dataset.
                finish(0, "the file header is incomplete (" + available + " of " + DatasetFormat.FILE_HEADER_BYTES
                        + " bytes)");
                return;
            }
            throw new DatasetFormatException(file, -1, 0, "file.magic", "is not that of a FARL dataset (file has "
                    + size + " bytes)", null);
        }
        if (!Arrays.equals(actual, 0, 8, DatasetFormat.MAGIC, 0, 8)) {
            throw new DatasetFormatException(file, -1, 0, "file.magic", "is not that of a FARL dataset", null);
        }
        int version = ByteBuffer.wrap(actual, 8, 4).getInt();
        int crc = ByteBuffer.wrap(actual, 12, 4).getInt();
        if (crc != DatasetFormat.crc(actual, 0, 12)) {
            throw new DatasetFormatException(file, -1, 8, "file.header_crc32c", "does not match", null);
        }
        if (version != DatasetFormat.FORMAT_VERSION) {
            throw new DatasetFormatException(file, -1, 8, "file.format_version", "is " + version
                    + ", this build reads format version " + DatasetFormat.FORMAT_VERSION, null);
        }
        position = DatasetFormat.FILE_HEADER_BYTES;
        completeEnd = position;
    }

    /** The next complete episode, or null at the end (clean or torn). */
    private Episode next() throws IOException {
        if (finished) {
            return null;
        }
        EpisodeChecker checker = null;
        Episode.Header header = null;
        List<Episode.Step> steps = new ArrayList<>();
        while (true) {
            long frameOffset = position;
            long remaining = size - frameOffset;
            if (remaining == 0) {
                if (checker != null) {
                    finish(completeEnd, "episode " + header.index() + " has a header and " + steps.size()
                            + " steps but no footer");
                } else {
                    finish(completeEnd, null);
                }
                return null;
            }
            if (remaining < DatasetFormat.FRAME_HEAD_BYTES) {
                finish(completeEnd, "partial frame header at byte " + frameOffset + " (" + remaining + " bytes)");
                return null;
            }
            ByteBuffer head = ByteBuffer.wrap(read(frameOffset, DatasetFormat.FRAME_HEAD_BYTES));
            int length = head.getInt();
            int lengthCrc = head.getInt();
            if (lengthCrc != DatasetFormat.lengthCrc(length)) {
                damaged(frameOffset, "frame.length_crc32c", "does not match the length field");
                return null;
            }
            if (length <= 0 || length > DatasetFormat.MAX_PAYLOAD) {
                damaged(frameOffset, "frame.length", "is " + length + ", outside (0, " + DatasetFormat.MAX_PAYLOAD
                        + "]");
                return null;
            }
            long frameBytes = (long) DatasetFormat.FRAME_HEAD_BYTES + length + DatasetFormat.FRAME_TAIL_BYTES;
            if (remaining < frameBytes) {
                finish(completeEnd, "frame at byte " + frameOffset + " needs " + frameBytes + " bytes, only "
                        + remaining + " left");
                return null;
            }
            byte[] payload = read(frameOffset + DatasetFormat.FRAME_HEAD_BYTES, length);
            int payloadCrc = ByteBuffer.wrap(read(frameOffset + DatasetFormat.FRAME_HEAD_BYTES + length, 4)).getInt();
            if (payloadCrc != DatasetFormat.crc(payload, 0, length)) {
                damaged(frameOffset, "frame.payload_crc32c", "does not match the payload");
                return null;
            }
            Record record;
            try {
                record = Record.parseFrom(payload);
            } catch (InvalidProtocolBufferException e) {
                throw new DatasetFormatException(file, recordIndex, frameOffset, "record",
                        "does not parse as farl.v1.Record: " + e.getMessage(), e);
            }
            long index = recordIndex;
            position = frameOffset + frameBytes;
            recordIndex++;
            try {
                switch (record.getBodyCase()) {
                    case HEADER -> {
                        if (checker != null) {
                            throw new InvalidRecordException("header", "of a new episode before the footer of episode "
                                    + header.index());
                        }
                        header = ProtoMapping.fromProto(record.getHeader());
                        checker = new EpisodeChecker(completeEpisodes);
                        checker.header(header);
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
                        Episode episode = new Episode(header, steps, footer);
                        completeEpisodes++;
                        completeEnd = position;
                        return episode;
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
     * A frame at {@code offset} is damaged. If an intact footer follows, complete data is corrupt: throw. If not,
     * the damage lies in bytes that never made a complete episode (a torn or zero-filled end): a torn tail.
     */
    private void damaged(long offset, String field, String problem) throws IOException {
        if (allZero(offset)) {
            finish(completeEnd, "zero-filled from byte " + offset + " to the end");
            return;
        }
        long footerAt = intactFooterAfter(offset + 1);
        if (footerAt >= 0) {
            throw new DatasetFormatException(file, recordIndex, offset, field, problem
                    + " (an intact episode footer follows at byte " + footerAt + ", so complete data is damaged)",
                    null);
        }
        finish(completeEnd, field + " " + problem + " at byte " + offset + " and no intact footer follows");
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

    private boolean allZero(long from) throws IOException {
        for (long p = from; p < size; p += WINDOW) {
            int n = (int) Math.min(WINDOW, size - p);
            byte[] b = read(p, n);
            for (byte x : b) {
                if (x != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Offset of the first intact frame holding a footer at or after {@code from}, or -1. */
    private long intactFooterAfter(long from) throws IOException {
        long last = size - DatasetFormat.FRAME_HEAD_BYTES - DatasetFormat.FRAME_TAIL_BYTES;
        for (long p = from; p <= last; p++) {
            ByteBuffer head = ByteBuffer.wrap(read(p, DatasetFormat.FRAME_HEAD_BYTES));
            int length = head.getInt();
            if (head.getInt() != DatasetFormat.lengthCrc(length) || length <= 0
                    || length > DatasetFormat.MAX_PAYLOAD || p + DatasetFormat.FRAME_HEAD_BYTES + length
                    + DatasetFormat.FRAME_TAIL_BYTES > size) {
                continue;
            }
            byte[] payload = read(p + DatasetFormat.FRAME_HEAD_BYTES, length);
            int crc = ByteBuffer.wrap(read(p + DatasetFormat.FRAME_HEAD_BYTES + length, 4)).getInt();
            if (crc != DatasetFormat.crc(payload, 0, length)) {
                continue;
            }
            try {
                if (Record.parseFrom(payload).hasFooter()) {
                    return p;
                }
            } catch (InvalidProtocolBufferException e) {
                // not a frame after all
            }
        }
        return -1;
    }

    /** Reads {@code length} bytes at {@code offset} through a window buffer; the range must lie in the file. */
    private byte[] read(long offset, int length) throws IOException {
        byte[] out = new byte[length];
        if (length > WINDOW / 2) {
            ByteBuffer b = ByteBuffer.wrap(out);
            readFully(b, offset);
            return out;
        }
        if (offset < windowStart || offset + length > windowStart + windowLength) {
            window.clear();
            window.limit((int) Math.min(WINDOW, size - offset));
            readFully(window, offset);
            windowStart = offset;
            windowLength = window.position();
        }
        System.arraycopy(window.array(), (int) (offset - windowStart), out, 0, length);
        return out;
    }

    private void readFully(ByteBuffer b, long offset) throws IOException {
        long p = offset;
        while (b.hasRemaining()) {
            int n = channel.read(b, p);
            if (n < 0) {
                throw new IOException(file + " shrank while being read (at byte " + p + ")");
            }
            p += n;
        }
    }
}
