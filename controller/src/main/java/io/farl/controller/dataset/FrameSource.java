package io.farl.controller.dataset;

import com.google.protobuf.InvalidProtocolBufferException;
import io.farl.protocol.v1.Record;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Positioned reads of the frames of one dataset file (layout in {@link DatasetFormat}) through a window buffer, and
 * the forward scans that find intact frames after damage. The size is fixed at construction: a file still being
 * appended to reads as the prefix written so far. Single thread; the caller owns the channel.
 */
final class FrameSource {

    private static final int WINDOW = 1 << 20;

    /** What lies at a byte offset. */
    sealed interface FrameRead permits End, Torn, Damaged, Intact {
    }

    /** The offset is the end of the file. */
    record End() implements FrameRead {
    }

    /** A frame that runs past the end of the file: a write cut short. */
    record Torn(String reason) implements FrameRead {
    }

    /** A frame whose bytes fail their checks: {@code field} is the check that failed. */
    record Damaged(String field, String problem) implements FrameRead {
        String reason() {
            return field + " " + problem;
        }
    }

    /** A frame whose length and payload CRCs match. */
    record Intact(long offset, byte[] payload) implements FrameRead {
        /** Offset just after the frame. */
        long end() {
            return offset + DatasetFormat.FRAME_HEAD_BYTES + payload.length + DatasetFormat.FRAME_TAIL_BYTES;
        }
    }

    /** An intact frame holding an episode header or footer, found by {@link #nextBoundary}. */
    record Boundary(Intact frame, Record record) {
    }

    private static final End END = new End();

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
    private final CRC32C scanCrc = new CRC32C();
    private long windowStart = -1;
    private int windowLength;

    FrameSource(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    long size() {
        return size;
    }

    /**
     * Checks the file header; empty when it is intact, else the torn-tail reason of a header cut short at creation.
     *
     * @throws DatasetFormatException when the file is not a FARL dataset or has another format version
     */
    Optional<String> checkFileHeader() throws IOException {
        byte[] expected = DatasetFormat.fileHeader();
        int available = (int) Math.min(size, DatasetFormat.FILE_HEADER_BYTES);
        byte[] actual = read(0, available);
        if (available < DatasetFormat.FILE_HEADER_BYTES) {
            if (Arrays.equals(actual, Arrays.copyOf(expected, available))) {
                return Optional.of("the file header is incomplete (" + available + " of "
                        + DatasetFormat.FILE_HEADER_BYTES + " bytes)");
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
        return Optional.empty();
    }

    /** The frame at {@code offset}, checked against both of its CRCs. */
    FrameRead frameAt(long offset) throws IOException {
        long remaining = size - offset;
        if (remaining == 0) {
            return END;
        }
        if (remaining < DatasetFormat.FRAME_HEAD_BYTES) {
            return new Torn("partial frame header at byte " + offset + " (" + remaining + " bytes)");
        }
        ByteBuffer head = ByteBuffer.wrap(read(offset, DatasetFormat.FRAME_HEAD_BYTES));
        int length = head.getInt();
        if (head.getInt() != DatasetFormat.lengthCrc(length)) {
            return new Damaged("frame.length_crc32c", "does not match the length field");
        }
        if (length <= 0 || length > DatasetFormat.MAX_PAYLOAD) {
            return new Damaged("frame.length", "is " + length + ", outside (0, " + DatasetFormat.MAX_PAYLOAD + "]");
        }
        long frameBytes = frameBytes(length);
        if (remaining < frameBytes) {
            return new Torn("frame at byte " + offset + " needs " + frameBytes + " bytes, only " + remaining
                    + " left");
        }
        byte[] payload = read(offset + DatasetFormat.FRAME_HEAD_BYTES, length);
        int payloadCrc = ByteBuffer.wrap(read(offset + DatasetFormat.FRAME_HEAD_BYTES + length, 4)).getInt();
        if (payloadCrc != DatasetFormat.crc(payload, 0, length)) {
            return new Damaged("frame.payload_crc32c", "does not match the payload");
        }
        return new Intact(offset, payload);
    }

    /**
     * The first intact frame at or after {@code from} whose payload parses as a record holding an episode header or
     * footer. Payload bytes may hold anything, so a candidate counts only when its whole frame verifies (length CRC,
     * payload CRC) and parses: a chance match needs two 32-bit CRCs to agree.
     */
    Optional<Boundary> nextBoundary(long from) throws IOException {
        long last = size - DatasetFormat.FRAME_HEAD_BYTES - DatasetFormat.FRAME_TAIL_BYTES;
        for (long p = from; p <= last; p++) {
            if (!plausibleLength(p) || !(frameAt(p) instanceof Intact frame)) {
                continue;
            }
            try {
                Record record = Record.parseFrom(frame.payload());
                if (record.hasHeader() || record.hasFooter()) {
                    return Optional.of(new Boundary(frame, record));
                }
            } catch (InvalidProtocolBufferException e) {
                // verified bytes that are not a record: keep looking
            }
        }
        return Optional.empty();
    }

    /**
     * Frames from {@code from} up to {@code to}, walking their length fields; -1 when a length field is damaged or
     * the walk does not land on {@code to} (the count is then unknown).
     */
    long framesBetween(long from, long to) throws IOException {
        long n = 0;
        long p = from;
        while (p < to) {
            if (to - p < DatasetFormat.FRAME_HEAD_BYTES || !plausibleLength(p)) {
                return -1;
            }
            p += frameBytes(ByteBuffer.wrap(read(p, 4)).getInt());
            n++;
        }
        return p == to ? n : -1;
    }

    /** True when every byte from {@code from} to the end is zero (a zero-filled end, as a crash can leave). */
    boolean allZero(long from) throws IOException {
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

    /** Reads {@code length} bytes at {@code offset} through the window; the range must lie in the file. */
    byte[] read(long offset, int length) throws IOException {
        byte[] out = new byte[length];
        if (length > WINDOW / 2) {
            readFully(ByteBuffer.wrap(out), offset);
            return out;
        }
        cover(offset, length);
        System.arraycopy(window.array(), (int) (offset - windowStart), out, 0, length);
        return out;
    }

    /**
     * True when the 8 bytes at {@code p} hold a length in range whose CRC matches: the cheap first test of a scan,
     * made on the window without allocating.
     */
    private boolean plausibleLength(long p) throws IOException {
        cover(p, DatasetFormat.FRAME_HEAD_BYTES);
        byte[] w = window.array();
        int i = (int) (p - windowStart);
        int length = ByteBuffer.wrap(w, i, 4).getInt();
        if (length <= 0 || length > DatasetFormat.MAX_PAYLOAD || p + frameBytes(length) > size) {
            return false;
        }
        scanCrc.reset();
        scanCrc.update(w, i, 4);
        return (int) scanCrc.getValue() == ByteBuffer.wrap(w, i + 4, 4).getInt();
    }

    private static long frameBytes(int length) {
        return (long) DatasetFormat.FRAME_HEAD_BYTES + length + DatasetFormat.FRAME_TAIL_BYTES;
    }

    private void cover(long offset, int length) throws IOException {
        if (offset < windowStart || offset + length > windowStart + windowLength) {
            window.clear();
            window.limit((int) Math.min(WINDOW, size - offset));
            readFully(window, offset);
            windowStart = offset;
            windowLength = window.position();
        }
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
