package io.farl.robot.ros1.msg;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Reads the ROS 1 serialisation (little-endian, uint32 length before strings and variable arrays) from a byte
 * array. Every read checks the remaining length first and throws {@link RosDecodeException} naming the field and
 * offset, so a truncated or hostile message never over-allocates, loops or reads past the frame.
 *
 * <p>Not thread-safe; one reader per message.
 */
public final class MessageReader {
    private final byte[] data;
    private final int limit;
    private int pos;

    public MessageReader(byte[] data) {
        this(data, 0, data.length);
    }

    public MessageReader(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("bad slice " + offset + "+" + length + " of " + data.length);
        }
        this.data = data;
        this.pos = offset;
        this.limit = offset + length;
    }

    public int remaining() {
        return limit - pos;
    }

    private void need(int bytes, String field) {
        if (bytes < 0 || bytes > limit - pos) {
            throw new RosDecodeException("truncated at " + field + ": need " + Integer.toUnsignedString(bytes)
                    + " bytes at offset " + pos + ", " + (limit - pos) + " left");
        }
    }

    public boolean bool(String field) {
        need(1, field);
        int v = data[pos++] & 0xff;
        if (v > 1) {
            throw new RosDecodeException("bad bool " + v + " at " + field);
        }
        return v == 1;
    }

    public int int32(String field) {
        need(4, field);
        int v = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8 | (data[pos + 2] & 0xff) << 16
                | (data[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    public long uint32(String field) {
        return Integer.toUnsignedLong(int32(field));
    }

    public double float64(String field) {
        need(8, field);
        long lo = Integer.toUnsignedLong(int32(field));
        long hi = Integer.toUnsignedLong(int32(field));
        return Double.longBitsToDouble(hi << 32 | lo);
    }

    /** A ROS {@code time} (uint32 secs, uint32 nsecs) as nanoseconds since the epoch. */
    public long time(String field) {
        long secs = uint32(field + ".secs");
        long nsecs = uint32(field + ".nsecs");
        if (nsecs >= 1_000_000_000L) {
            throw new RosDecodeException("bad nsecs " + nsecs + " at " + field);
        }
        return secs * 1_000_000_000L + nsecs;
    }

    /** The element count of a variable array whose elements take at least {@code minElementBytes} each. */
    public int count(String field, int minElementBytes) {
        long n = uint32(field + ".length");
        if (n * Math.max(1, minElementBytes) > remaining()) {
            throw new RosDecodeException("array " + field + " claims " + n + " elements, only " + remaining()
                    + " bytes left at offset " + pos);
        }
        return (int) n;
    }

    public String string(String field) {
        int n = count(field, 1);
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new RosDecodeException("string " + field + " is not UTF-8 at offset " + pos);
        }
    }

    public double[] float64Array(String field) {
        int n = count(field, 8);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = float64(field);
        }
        return out;
    }

    public String[] stringArray(String field) {
        int n = count(field, 4);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = string(field);
        }
        return out;
    }

    /** A uint32 length followed by that many raw bytes. */
    public byte[] lengthPrefixedBytes(String field) {
        int n = count(field, 1);
        byte[] out = java.util.Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /** Throws unless every byte was consumed: trailing bytes mean a type mismatch. */
    public void requireEnd(String type) {
        if (pos != limit) {
            throw new RosDecodeException(type + ": " + (limit - pos) + " trailing bytes after the message");
        }
    }
}
