package io.farl.robot.ros1.msg;

import static io.farl.robot.ros1.msg.MsgSpec.field;

import io.farl.robot.ros1.msg.RosTypes.JointState;
import java.util.List;

/** Codecs of sensor_msgs types with their pinned md5 sums (ROS Noetic / Debian sensor_msgs). */
public final class SensorMsgs {
    private SensorMsgs() {
    }

    public static final MessageCodec<JointState> JOINT_STATE = new SimpleCodec<>(
            MsgSpec.of("sensor_msgs/JointState", field(StdMsgs.HEADER_SPEC, "header"), field("string[]", "name"),
                    field("float64[]", "position"), field("float64[]", "velocity"), field("float64[]", "effort")),
            "3066dcd76a6cfaef579bd0f34173e9fd", (v, w) -> {
                StdMsgs.writeHeader(v.header(), w);
                w.stringArray(v.names()).float64Array(v.position()).float64Array(v.velocity())
                        .float64Array(v.effort());
            }, r -> new JointState(StdMsgs.readHeader(r), List.of(r.stringArray("name")), r.float64Array("position"),
                    r.float64Array("velocity"), r.float64Array("effort")));
}
