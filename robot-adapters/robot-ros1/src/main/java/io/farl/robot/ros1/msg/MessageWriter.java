package io.farl.robot.ros1.msg;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Writes the ROS 1 serialisation (little-endian) into a growing byte array. Not thread-safe. */
public final class MessageWriter {
    private byte[] buf;
    private int size;

    public MessageWriter() {
        this(64);
    }

    public MessageWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    public MessageWriter bool(boolean v) {
        ensure(1);
        buf[size++] = (byte) (v ? 1 : 0);
        return this;
    }

    public MessageWriter int32(int v) {
        ensure(4);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 24);
        return this;
    }

    public MessageWriter uint32(long v) {
        if (v < 0 || v > 0xffff_ffffL) {
            throw new IllegalArgumentException("uint32 out of range: " + v);
        }
        return int32((int) v);
    }

    public MessageWriter float64(double v) {
        long bits = Double.doubleToRawLongBits(v);
        int32((int) bits);
        return int32((int) (bits >>> 32));
    }

    /** A ROS {@code time} from nanoseconds since the epoch (non-negative). */
    public MessageWriter time(long epochNanos) {
        if (epochNanos < 0) {
            throw new IllegalArgumentException("ROS time must be >= 0, got " + epochNanos);
        }
        uint32(epochNanos / 1_000_000_000L);
        return uint32(epochNanos % 1_000_000_000L);
    }

    public MessageWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int32(b.length);
        return bytes(b);
    }

    public MessageWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    public MessageWriter float64Array(double[] values) {
        int32(values.length);
        for (double v : values) {
            float64(v);
        }
        return this;
    }

    public MessageWriter stringArray(List<String> values) {
        int32(values.size());
        values.forEach(this::string);
        return this;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
