package io.farl.controller.dataset;

import java.nio.file.Path;

/**
 * A dataset file holds something a correct writer never writes: a wrong magic, format or schema version, a record
 * that verifies but does not parse, a size that disagrees with the header, a non-finite number, records out of
 * order. The message names the file, the record index (0 = first record after the file header), its byte offset and
 * the field, e.g. {@code data/bounded-push-expert.farl: record 17 at byte 5230: step.observation[4] must be finite,
 * got NaN}. Neither a torn tail after the last complete episode nor a damaged episode (a frame failing its CRCs) is
 * this when reading: both are skipped with a warning (see {@link DatasetReader}). {@link DatasetWriter} throws it for
 * a damaged file too, as it does not append to one.
 */
public final class DatasetFormatException extends RuntimeException {

    private final Path file;
    private final long recordIndex;
    private final long byteOffset;
    private final String field;

    public DatasetFormatException(Path file, long recordIndex, long byteOffset, String field, String problem,
            Throwable cause) {
        super(file + ": " + (recordIndex >= 0 ? "record " + recordIndex + " at " : "") + "byte " + byteOffset
                + ": " + field + " " + problem, cause);
        this.file = file;
        this.recordIndex = recordIndex;
        this.byteOffset = byteOffset;
        this.field = field;
    }

    public Path file() {
        return file;
    }

    /**
     * Index of the bad record, counting from 0 after the file header; -1 for the file header itself, or when unknown
     * (after skipped damage whose frames could not be counted).
     */
    public long recordIndex() {
        return recordIndex;
    }

    public long byteOffset() {
        return byteOffset;
    }

    /** The offending field, e.g. {@code frame.payload_crc32c} or {@code header.schema_version}. */
    public String field() {
        return field;
    }
}
