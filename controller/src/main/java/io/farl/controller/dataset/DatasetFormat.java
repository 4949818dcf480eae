package io.farl.controller.dataset;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The FARL dataset file layout, version 1. Big-endian throughout.
 *
 * <pre>
 * file   := file_header frame*
 * file_header (16 bytes) := magic[8] = 89 'F' 'A' 'R' 'L' 0D 0A 1A
 *                           format_version u32 = 1
 *                           crc32c(magic || format_version) u32
 * frame  := length u32            payload size in bytes, 0 &lt; length &lt;= MAX_PAYLOAD
 *           length_crc u32        crc32c of the 4 length bytes
 *           payload[length]       one protobuf farl.v1.Record (header, step or footer)
 *           payload_crc u32       crc32c of the payload
 * </pre>
 *
 * An episode is a header record, its step records and a footer record; the writer forces the file to disk
 * after every footer. Only episodes whose footer is on disk count. The separate length CRC tells a damaged
 * length (corruption) from a frame that runs past the end of the file (a torn write). The magic's bytes
 * (non-ASCII first byte, CR LF, ^Z) catch text-mode mangling, as in PNG.
 */
public final class DatasetFormat {

    /** File name extension of dataset files, with the dot. */
    public static final String EXTENSION = ".farl";
    /** Format (framing) version written and read by this build. */
    public static final int FORMAT_VERSION = 1;
    /** Schema version of every protobuf message written and read by this build. */
    public static final int SCHEMA_VERSION = 1;

    static final byte[] MAGIC = {(byte) 0x89, 'F', 'A', 'R', 'L', 0x0D, 0x0A, 0x1A};
    static final int FILE_HEADER_BYTES = 16;
    static final int FRAME_HEAD_BYTES = 8;
    static final int FRAME_TAIL_BYTES = 4;
    /** Larger payloads are treated as corruption: a step of a 39-d observation is well under 2 KiB. */
    static final int MAX_PAYLOAD = 64 << 20;

    private DatasetFormat() {
    }

    static byte[] fileHeader() {
        ByteBuffer b = ByteBuffer.allocate(FILE_HEADER_BYTES);
        b.put(MAGIC).putInt(FORMAT_VERSION);
        b.putInt(crc(b.array(), 0, 12));
        return b.array();
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C c = new CRC32C();
        c.update(bytes, offset, length);
        return (int) c.getValue();
    }

    static int lengthCrc(int length) {
        byte[] b = ByteBuffer.allocate(4).putInt(length).array();
        return crc(b, 0, 4);
    }

    /** The whole frame for one payload. */
    static byte[] frame(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(FRAME_HEAD_BYTES + payload.length + FRAME_TAIL_BYTES);
        b.putInt(payload.length).putInt(lengthCrc(payload.length)).put(payload)
                .putInt(crc(payload, 0, payload.length));
        return b.array();
    }
}
