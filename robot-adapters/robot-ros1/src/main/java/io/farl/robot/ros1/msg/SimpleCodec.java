package io.farl.robot.ros1.msg;

import java.util.function.BiConsumer;
import java.util.function.Function;

/** A {@link MessageCodec} made of a spec, a pinned md5 and two functions. */
final class SimpleCodec<T> implements MessageCodec<T> {
    private final MsgSpec spec;
    private final String pinnedMd5;
    private final BiConsumer<T, MessageWriter> writer;
    private final Function<MessageReader, T> reader;

    SimpleCodec(MsgSpec spec, String pinnedMd5, BiConsumer<T, MessageWriter> writer,
            Function<MessageReader, T> reader) {
        this.spec = spec;
        this.pinnedMd5 = pinnedMd5;
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public MsgSpec spec() {
        return spec;
    }

    @Override
    public String pinnedMd5() {
        return pinnedMd5;
    }

    @Override
    public void write(T value, MessageWriter out) {
        writer.accept(value, out);
    }

    @Override
    public T read(MessageReader in) {
        return reader.apply(in);
    }
}
