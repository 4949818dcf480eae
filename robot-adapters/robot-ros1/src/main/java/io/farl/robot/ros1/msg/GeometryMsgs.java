package io.farl.robot.ros1.msg;

import static io.farl.robot.ros1.msg.MsgSpec.field;

import io.farl.robot.ros1.msg.RosTypes.Pose;
import io.farl.robot.ros1.msg.RosTypes.PoseStamped;
import io.farl.robot.ros1.msg.RosTypes.Quaternion;
import io.farl.robot.ros1.msg.RosTypes.Twist;
import io.farl.robot.ros1.msg.RosTypes.TwistStamped;
import io.farl.robot.ros1.msg.RosTypes.Vector3;

/** Codecs of geometry_msgs types with their pinned md5 sums (ROS Noetic / Debian geometry_msgs). */
public final class GeometryMsgs {
    private GeometryMsgs() {
    }

    static final MsgSpec POINT_SPEC = MsgSpec.of("geometry_msgs/Point", field("float64", "x"),
            field("float64", "y"), field("float64", "z"));
    static final MsgSpec VECTOR3_SPEC = MsgSpec.of("geometry_msgs/Vector3", field("float64", "x"),
            field("float64", "y"), field("float64", "z"));
    static final MsgSpec QUATERNION_SPEC = MsgSpec.of("geometry_msgs/Quaternion", field("float64", "x"),
            field("float64", "y"), field("float64", "z"), field("float64", "w"));
    static final MsgSpec POSE_SPEC = MsgSpec.of("geometry_msgs/Pose", field(POINT_SPEC, "position"),
            field(QUATERNION_SPEC, "orientation"));
    static final MsgSpec TWIST_SPEC = MsgSpec.of("geometry_msgs/Twist", field(VECTOR3_SPEC, "linear"),
            field(VECTOR3_SPEC, "angular"));

    public static final MessageCodec<Pose> POSE = new SimpleCodec<>(POSE_SPEC, "e45d45a5a1ce597b249e23fb30fc871f",
            GeometryMsgs::writePose, GeometryMsgs::readPose);

    public static final MessageCodec<PoseStamped> POSE_STAMPED = new SimpleCodec<>(
            MsgSpec.of("geometry_msgs/PoseStamped", field(StdMsgs.HEADER_SPEC, "header"), field(POSE_SPEC, "pose")),
            "d3812c3cbc69362b77dc0b19b345f8f5", (v, w) -> {
                StdMsgs.writeHeader(v.header(), w);
                writePose(v.pose(), w);
            }, r -> new PoseStamped(StdMsgs.readHeader(r), readPose(r)));

    public static final MessageCodec<Twist> TWIST = new SimpleCodec<>(TWIST_SPEC, "9f195f881246fdfa2798d1d3eebca84a",
            GeometryMsgs::writeTwist, GeometryMsgs::readTwist);

    public static final MessageCodec<TwistStamped> TWIST_STAMPED = new SimpleCodec<>(
            MsgSpec.of("geometry_msgs/TwistStamped", field(StdMsgs.HEADER_SPEC, "header"),
                    field(TWIST_SPEC, "twist")),
            "98d34b0043a2093cf9d9345ab6eef12e", (v, w) -> {
                StdMsgs.writeHeader(v.header(), w);
                writeTwist(v.twist(), w);
            }, r -> new TwistStamped(StdMsgs.readHeader(r), readTwist(r)));

    static void writeVector(Vector3 v, MessageWriter w) {
        w.float64(v.x()).float64(v.y()).float64(v.z());
    }

    static Vector3 readVector(MessageReader r, String field) {
        return new Vector3(r.float64(field + ".x"), r.float64(field + ".y"), r.float64(field + ".z"));
    }

    static void writePose(Pose p, MessageWriter w) {
        writeVector(p.position(), w);
        Quaternion q = p.orientation();
        w.float64(q.x()).float64(q.y()).float64(q.z()).float64(q.w());
    }

    static Pose readPose(MessageReader r) {
        Vector3 position = readVector(r, "pose.position");
        Quaternion q = new Quaternion(r.float64("pose.orientation.x"), r.float64("pose.orientation.y"),
                r.float64("pose.orientation.z"), r.float64("pose.orientation.w"));
        return new Pose(position, q);
    }

    static void writeTwist(Twist t, MessageWriter w) {
        writeVector(t.linear(), w);
        writeVector(t.angular(), w);
    }

    static Twist readTwist(MessageReader r) {
        return new Twist(readVector(r, "twist.linear"), readVector(r, "twist.angular"));
    }
}
