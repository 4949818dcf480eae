package io.farl.robot.ros1.msg;

/**
 * Encoder and decoder of one ROS 1 message type, with its pinned md5 sum. {@link #decode(byte[])} either returns a
 * value or throws {@link RosDecodeException}; it never reads past the array or allocates more than the input
 * implies.
 *
 * @param <T> the Java value of the message
 */
public interface MessageCodec<T> {

    /** Definition (type name, fields) from which md5 and message_definition are derived. */
    MsgSpec spec();

    /** The md5 sum this codec was written for; tests check it equals {@code spec().md5()} and Debian's. */
    String pinnedMd5();

    void write(T value, MessageWriter out);

    T read(MessageReader in);

    default String type() {
        return spec().type();
    }

    default byte[] encode(T value) {
        MessageWriter w = new MessageWriter();
        write(value, w);
        return w.toByteArray();
    }

    default T decode(byte[] payload) {
        MessageReader r = new MessageReader(payload);
        T v = read(r);
        r.requireEnd(type());
        return v;
    }
}
