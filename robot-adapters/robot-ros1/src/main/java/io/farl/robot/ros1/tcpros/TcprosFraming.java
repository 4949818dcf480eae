package io.farl.robot.ros1.tcpros;

import io.farl.robot.ros1.msg.RosDecodeException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * TCPROS framing: every header and message is a uint32 little-endian length followed by that many bytes. Reads
 * refuse lengths above a limit before allocating, so a corrupt or hostile stream gives a clear error, not an
 * OutOfMemoryError.
 */
public final class TcprosFraming {
    /** Largest connection header accepted (message definitions of large types fit easily). */
    public static final int MAX_HEADER_BYTES = 1 << 20;

    private static final int CHUNK_BYTES = 64 * 1024;

    private TcprosFraming() {
    }

    /** Reads one frame; throws EOFException at a clean end of stream before the frame. */
    public static byte[] readFrame(InputStream in, int maxBytes, String what) throws IOException {
        byte[] len = new byte[4];
        int first = in.read();
        if (first < 0) {
            throw new EOFException("stream closed before " + what);
        }
        len[0] = (byte) first;
        readFully(in, len, 1, 3, what + " length");
        long n = (len[0] & 0xffL) | (len[1] & 0xffL) << 8 | (len[2] & 0xffL) << 16 | (len[3] & 0xffL) << 24;
        if (n > maxBytes) {
            throw new RosDecodeException(what + " of " + n + " bytes exceeds the limit of " + maxBytes);
        }
        return readBody(in, (int) n, what);
    }

    /** Reads {@code n} bytes, growing the buffer as data arrives, so a false length cannot force a big allocation. */
    private static byte[] readBody(InputStream in, int n, String what) throws IOException {
        byte[] body = new byte[Math.min(n, CHUNK_BYTES)];
        int done = 0;
        while (done < n) {
            if (done == body.length) {
                body = java.util.Arrays.copyOf(body, (int) Math.min(n, 2L * body.length));
            }
            int r = in.read(body, done, body.length - done);
            if (r < 0) {
                throw new EOFException("stream closed inside " + what + " after " + done + " of " + n + " bytes");
            }
            done += r;
        }
        return body;
    }

    private static void readFully(InputStream in, byte[] b, int off, int len, String what) throws IOException {
        int done = 0;
        while (done < len) {
            int r = in.read(b, off + done, len - done);
            if (r < 0) {
                throw new EOFException("stream closed inside " + what + " after " + done + " of " + len + " bytes");
            }
            done += r;
        }
    }

    /** Length prefix plus body in one array, so a frame goes out in one write. */
    public static byte[] frame(byte[] body) {
        byte[] out = new byte[body.length + 4];
        int n = body.length;
        out[0] = (byte) n;
        out[1] = (byte) (n >>> 8);
        out[2] = (byte) (n >>> 16);
        out[3] = (byte) (n >>> 24);
        System.arraycopy(body, 0, out, 4, n);
        return out;
    }

    public static void writeHeader(OutputStream out, ConnectionHeader header) throws IOException {
        out.write(frame(header.encodeBody()));
        out.flush();
    }

    public static ConnectionHeader readHeader(InputStream in) throws IOException {
        return ConnectionHeader.decodeBody(readFrame(in, MAX_HEADER_BYTES, "connection header"));
    }
}
