package io.farl.robot.ros1.msg;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Our encoding of sample messages is byte for byte what Debian's genpy (rospy) writes, and decodes back. */
class MessageBytesIT {

    @Test
    void shouldEncodeExactlyLikeRospy() throws Exception {
        assertTrue(new File("/usr/lib/python3/dist-packages/rospy").isDirectory(),
                "rospy not installed (scripts/install-system-deps.sh installs it)");
        Path script = Path.of("src", "test", "resources", "ros1_serialize.py").toAbsolutePath();
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        Map<String, String> python = new LinkedHashMap<>();
        for (String line : out.strip().split("\n")) {
            String[] parts = line.split(" ");
            python.put(parts[0], parts.length > 1 ? parts[1] : "");
        }
        Header h = new Header(7, 1_700_000_000_123_456_789L, "panda_link0");
        Pose pose = new Pose(new Vector3(0.1, -0.2, 0.3), new Quaternion(0, 0, 0.7071, 0.7071));
        Twist twist = new Twist(new Vector3(0.5, -0.25, 0), new Vector3(0, 0, 1.5));
        check(python, StdMsgs.HEADER, h);
        check(python, StdMsgs.BOOL, true);
        check(python, StdMsgs.STRING, "keep_failure: pushed too far");
        check(python, StdMsgs.FLOAT64, -0.75);
        check(python, StdMsgs.FLOAT64_MULTI_ARRAY, new Float64MultiArray(List.of(new Dimension("x", 3, 3)), 0,
                new double[] {1, 2.5, -3}));
        check(python, SensorMsgs.JOINT_STATE, new JointState(h, List.of("j1", "j2"), new double[] {0.5, -0.5},
                new double[] {1, 2}, new double[0]));
        check(python, GeometryMsgs.POSE, pose);
        check(python, GeometryMsgs.POSE_STAMPED, new PoseStamped(h, pose));
        check(python, GeometryMsgs.TWIST, twist);
        check(python, GeometryMsgs.TWIST_STAMPED, new TwistStamped(h, twist));
        assertEquals(10, python.size());
    }

    private static <T> void check(Map<String, String> python, MessageCodec<T> codec, T value) {
        String expected = python.get(codec.type());
        assertEquals(expected, HexFormat.of().formatHex(codec.encode(value)), codec.type());
        codec.decode(HexFormat.of().parseHex(expected));
    }
}
