package io.farl.robot.ros1.msg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.ros1.msg.RosTypes.Dimension;
import io.farl.robot.ros1.msg.RosTypes.Float64MultiArray;
import io.farl.robot.ros1.msg.RosTypes.Header;
import io.farl.robot.ros1.msg.RosTypes.JointState;
import io.farl.robot.ros1.msg.RosTypes.Pose;
import io.farl.robot.ros1.msg.RosTypes.PoseStamped;
import io.farl.robot.ros1.msg.RosTypes.Quaternion;
import io.farl.robot.ros1.msg.RosTypes.Twist;
import io.farl.robot.ros1.msg.RosTypes.TwistStamped;
import io.farl.robot.ros1.msg.RosTypes.Vector3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecsTest {
    private static final Path DEBIAN_MSGS = Path.of("/usr/lib/python3/dist-packages");

    static Stream<MessageCodec<?>> codecs() {
        return Stream.of(StdMsgs.HEADER, StdMsgs.BOOL, StdMsgs.FLOAT64_MULTI_ARRAY, SensorMsgs.JOINT_STATE,
                GeometryMsgs.POSE, GeometryMsgs.POSE_STAMPED, GeometryMsgs.TWIST, GeometryMsgs.TWIST_STAMPED);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void shouldComputeThePinnedMd5FromTheDefinition(MessageCodec<?> codec) {
        assertEquals(codec.pinnedMd5(), codec.spec().md5(), codec.type() + " md5 text:\n" + codec.spec().md5Text());
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void shouldMatchTheMd5OfTheDebianMessageDefinition(MessageCodec<?> codec) throws IOException {
        String[] parts = codec.type().split("/");
        Path file = DEBIAN_MSGS.resolve(parts[0]).resolve("msg").resolve("_" + parts[1] + ".py");
        assertTrue(Files.exists(file), "Debian message package not installed: " + file
                + " (scripts/install-system-deps.sh installs it)");
        Matcher m = Pattern.compile("_md5sum = \"([0-9a-f]{32})\"").matcher(Files.readString(file));
        assertTrue(m.find(), "no _md5sum in " + file);
        assertEquals(m.group(1), codec.spec().md5(), codec.type());
    }

    @Test
    void shouldWriteDependenciesIntoTheFullDefinition() {
        String full = GeometryMsgs.TWIST_STAMPED.spec().fullText();
        assertTrue(full.startsWith("Header header\nTwist twist\n"), full);
        assertTrue(full.contains("MSG: std_msgs/Header\nuint32 seq\ntime stamp\nstring frame_id\n"), full);
        assertTrue(full.contains("MSG: geometry_msgs/Vector3\nfloat64 x\n"), full);
    }

    @Test
    void shouldRoundTripEveryMessage() {
        Header h = new Header(7, 1_700_000_000_123_456_789L, "base_link");
        Pose pose = new Pose(new Vector3(0.1, -0.2, 0.3), new Quaternion(0, 0, 0.7071, 0.7071));
        roundTrip(StdMsgs.HEADER, h);
        roundTrip(StdMsgs.BOOL, Boolean.TRUE);
        roundTrip(GeometryMsgs.POSE, pose);
        roundTrip(GeometryMsgs.POSE_STAMPED, new PoseStamped(h, pose));
        Twist twist = new Twist(new Vector3(1, 2, 3), new Vector3(-1, -2, -3));
        roundTrip(GeometryMsgs.TWIST, twist);
        roundTrip(GeometryMsgs.TWIST_STAMPED, new TwistStamped(h, twist));
        JointState js = new JointState(h, List.of("j1", "j2"), new double[] {0.5, -0.5}, new double[] {1, 2},
                new double[0]);
        JointState back = SensorMsgs.JOINT_STATE.decode(SensorMsgs.JOINT_STATE.encode(js));
        assertEquals(js.names(), back.names());
        assertArrayEquals(js.position(), back.position());
        assertArrayEquals(js.velocity(), back.velocity());
        Float64MultiArray a = new Float64MultiArray(List.of(new Dimension("x", 3, 3)), 0, new double[] {1, 2, 3});
        Float64MultiArray ab = StdMsgs.FLOAT64_MULTI_ARRAY.decode(StdMsgs.FLOAT64_MULTI_ARRAY.encode(a));
        assertEquals(a.dims(), ab.dims());
        assertArrayEquals(a.data(), ab.data());
    }

    @Test
    void shouldEncodeHeaderInTheRosWireLayout() {
        byte[] b = StdMsgs.HEADER.encode(new Header(1, 2_000_000_003L, "a"));
        assertArrayEquals(new byte[] {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 'a'}, b);
    }

    @Test
    void shouldReportTruncatedAndOversizedInputClearly() {
        byte[] ok = GeometryMsgs.TWIST_STAMPED.encode(new TwistStamped(new Header(1, 0, "f"),
                new Twist(Vector3.ZERO, Vector3.ZERO)));
        byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 3);
        RosDecodeException e = assertThrows(RosDecodeException.class, () -> GeometryMsgs.TWIST_STAMPED.decode(cut));
        assertTrue(e.getMessage().contains("twist.angular.z"), e.getMessage());
        byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 1);
        assertThrows(RosDecodeException.class, () -> GeometryMsgs.TWIST_STAMPED.decode(longer));
        byte[] huge = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f};
        e = assertThrows(RosDecodeException.class, () -> SensorMsgs.JOINT_STATE.decode(huge));
        assertTrue(e.getMessage().contains("header.frame_id"), e.getMessage());
        assertThrows(RosDecodeException.class, () -> StdMsgs.BOOL.decode(new byte[] {2}));
    }

    private static <T> void roundTrip(MessageCodec<T> codec, T value) {
        assertEquals(value, codec.decode(codec.encode(value)), codec.type());
    }
}
