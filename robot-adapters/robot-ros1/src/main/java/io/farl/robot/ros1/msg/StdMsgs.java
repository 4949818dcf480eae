package io.farl.robot.ros1.msg;

import static io.farl.robot.ros1.msg.MsgSpec.arrayField;
import static io.farl.robot.ros1.msg.MsgSpec.field;

import io.farl.robot.ros1.msg.RosTypes.Dimension;
import io.farl.robot.ros1.msg.RosTypes.Float64MultiArray;
import io.farl.robot.ros1.msg.RosTypes.Header;
import java.util.ArrayList;
import java.util.List;

/** Codecs of std_msgs types with their pinned md5 sums (ROS Noetic / Debian std_msgs). */
public final class StdMsgs {
    private StdMsgs() {
    }

    public static final MsgSpec HEADER_SPEC = MsgSpec.of("std_msgs/Header", field("uint32", "seq"),
            field("time", "stamp"), field("string", "frame_id"));
    static final MsgSpec DIMENSION_SPEC = MsgSpec.of("std_msgs/MultiArrayDimension", field("string", "label"),
            field("uint32", "size"), field("uint32", "stride"));
    static final MsgSpec LAYOUT_SPEC = MsgSpec.of("std_msgs/MultiArrayLayout", arrayField(DIMENSION_SPEC, "dim"),
            field("uint32", "data_offset"));

    public static final MessageCodec<Header> HEADER = new SimpleCodec<>(HEADER_SPEC,
            "2176decaecbce78abc3b96ef049fabed", StdMsgs::writeHeader, StdMsgs::readHeader);

    public static final MessageCodec<Boolean> BOOL = new SimpleCodec<>(MsgSpec.of("std_msgs/Bool",
            field("bool", "data")), "8b94c1b53db61fb6aed406028ad6332a", (v, w) -> w.bool(v), r -> r.bool("data"));

    public static final MessageCodec<String> STRING = new SimpleCodec<>(MsgSpec.of("std_msgs/String",
            field("string", "data")), "992ce8a1687cec8c8bd883ec73ca41d1", (v, w) -> w.string(v), r -> r.string("data"));

    public static final MessageCodec<Double> FLOAT64 = new SimpleCodec<>(MsgSpec.of("std_msgs/Float64",
            field("float64", "data")), "fdb28210bfa9d7c91146260178d9a584", (v, w) -> w.float64(v),
            r -> r.float64("data"));

    public static final MessageCodec<Float64MultiArray> FLOAT64_MULTI_ARRAY = new SimpleCodec<>(
            MsgSpec.of("std_msgs/Float64MultiArray", field(LAYOUT_SPEC, "layout"), field("float64[]", "data")),
            "4b7d974086d4060e7db4613a7e6c3ba4", StdMsgs::writeArray, StdMsgs::readArray);

    public static void writeHeader(Header h, MessageWriter w) {
        w.uint32(h.seq()).time(h.stampNanos()).string(h.frameId());
    }

    public static Header readHeader(MessageReader r) {
        return new Header(r.uint32("header.seq"), r.time("header.stamp"), r.string("header.frame_id"));
    }

    private static void writeArray(Float64MultiArray a, MessageWriter w) {
        w.int32(a.dims().size());
        for (Dimension d : a.dims()) {
            w.string(d.label()).uint32(d.size()).uint32(d.stride());
        }
        w.uint32(a.dataOffset()).float64Array(a.data());
    }

    private static Float64MultiArray readArray(MessageReader r) {
        int n = r.count("layout.dim", 12);
        List<Dimension> dims = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            dims.add(new Dimension(r.string("layout.dim.label"), r.uint32("layout.dim.size"),
                    r.uint32("layout.dim.stride")));
        }
        long offset = r.uint32("layout.data_offset");
        return new Float64MultiArray(dims, offset, r.float64Array("data"));
    }
}
