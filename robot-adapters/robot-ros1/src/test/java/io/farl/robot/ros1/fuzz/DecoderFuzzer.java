package io.farl.robot.ros1.fuzz;

import io.farl.robot.ros1.msg.GeometryMsgs;
import io.farl.robot.ros1.msg.MessageCodec;
import io.farl.robot.ros1.msg.RosDecodeException;
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
import io.farl.robot.ros1.msg.SensorMsgs;
import io.farl.robot.ros1.msg.StdMsgs;
import io.farl.robot.ros1.tcpros.ConnectionHeader;
import io.farl.robot.ros1.tcpros.TcprosFraming;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Feeds random and mutated inputs to the TCPROS frame and header readers and every message decoder. An input
 * passes when it decodes or is rejected with {@link RosDecodeException} or {@link EOFException} carrying a
 * message; anything else thrown is a finding. Seeded and deterministic.
 *
 * <p>Run {@code java -cp target/classes:target/test-classes io.farl.robot.ros1.fuzz.DecoderFuzzer [inputs] [seed]}
 * for long runs (e.g. 1,000,000 inputs); the unit test runs a shorter one.
 */
public final class DecoderFuzzer {
    /** Outcome counts and the slowest input. */
    public record Report(long inputs, long decoded, long rejected, List<String> findings, long slowestNanos) {
    }

    private static final List<MessageCodec<?>> CODECS = List.of(StdMsgs.HEADER, StdMsgs.BOOL,
            StdMsgs.FLOAT64_MULTI_ARRAY, SensorMsgs.JOINT_STATE, GeometryMsgs.POSE, GeometryMsgs.POSE_STAMPED,
            GeometryMsgs.TWIST, GeometryMsgs.TWIST_STAMPED);

    private final SplittableRandom random;
    private final List<byte[]> seeds = new ArrayList<>();

    public DecoderFuzzer(long seed) {
        random = new SplittableRandom(seed);
        Header h = new Header(3, 1_700_000_000_000_000_000L, "panda_link0");
        Pose pose = new Pose(new Vector3(0.1, 0.2, 0.3), Quaternion.IDENTITY);
        Twist twist = new Twist(new Vector3(0.1, 0, 0), Vector3.ZERO);
        seeds.add(StdMsgs.HEADER.encode(h));
        seeds.add(StdMsgs.BOOL.encode(true));
        seeds.add(StdMsgs.FLOAT64_MULTI_ARRAY.encode(new Float64MultiArray(List.of(new Dimension("x", 2, 2)), 0,
                new double[] {1, 2})));
        seeds.add(SensorMsgs.JOINT_STATE.encode(new JointState(h, List.of("j1", "j2"), new double[] {1, 2},
                new double[] {3, 4}, new double[] {5})));
        seeds.add(GeometryMsgs.POSE.encode(pose));
        seeds.add(GeometryMsgs.POSE_STAMPED.encode(new PoseStamped(h, pose)));
        seeds.add(GeometryMsgs.TWIST.encode(twist));
        seeds.add(GeometryMsgs.TWIST_STAMPED.encode(new TwistStamped(h, twist)));
        Map<String, String> ch = new LinkedHashMap<>();
        ch.put("callerid", "/farl");
        ch.put("topic", "/arm/cmd");
        ch.put("md5sum", GeometryMsgs.TWIST_STAMPED.spec().md5());
        ch.put("type", GeometryMsgs.TWIST_STAMPED.type());
        ch.put("message_definition", GeometryMsgs.TWIST_STAMPED.spec().fullText());
        ch.put("tcp_nodelay", "1");
        seeds.add(TcprosFraming.frame(new ConnectionHeader(ch).encodeBody()));
    }

    /** Runs {@code inputs} inputs, each through the frame reader, header decoder and every codec. */
    public Report run(long inputs) {
        long decoded = 0;
        long rejected = 0;
        long slowest = 0;
        List<String> findings = new ArrayList<>();
        for (long i = 0; i < inputs; i++) {
            byte[] input = next();
            long t0 = System.nanoTime();
            int ok = check(input, findings);
            slowest = Math.max(slowest, System.nanoTime() - t0);
            decoded += ok;
            rejected += CODECS.size() + 2 - ok;
            if (findings.size() > 20) {
                break;
            }
        }
        return new Report(inputs, decoded, rejected, findings, slowest);
    }

    /** @return how many of the decoders accepted the input */
    private int check(byte[] input, List<String> findings) {
        int ok = 0;
        ok += attempt("frame+header", input, findings, () -> TcprosFraming.readHeader(new ByteArrayInputStream(input)));
        ok += attempt("frame", input, findings, () -> TcprosFraming.readFrame(new ByteArrayInputStream(input),
                1 << 16, "message"));
        for (MessageCodec<?> c : CODECS) {
            ok += attempt(c.type(), input, findings, () -> c.decode(input));
        }
        return ok;
    }

    private interface Decode {
        Object run() throws IOException;
    }

    private static int attempt(String what, byte[] input, List<String> findings, Decode decode) {
        try {
            decode.run();
            return 1;
        } catch (RosDecodeException | EOFException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                findings.add(what + ": rejection without a message for " + HexFormat.of().formatHex(input));
            }
            return 0;
        } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            findings.add(what + ": " + e + " for " + HexFormat.of().formatHex(input));
            return 0;
        }
    }

    private byte[] next() {
        if (random.nextInt(4) == 0) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            return b;
        }
        byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            b = mutate(b);
        }
        return b;
    }

    private byte[] mutate(byte[] b) {
        if (b.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(b.length);
        switch (random.nextInt(6)) {
            case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b[at] = (byte) random.nextInt(256);
            case 2 -> {
                return java.util.Arrays.copyOf(b, at);
            }
            case 3 -> {
                byte[] longer = java.util.Arrays.copyOf(b, b.length + 1 + random.nextInt(16));
                return longer;
            }
            case 4 -> {
                int v = random.nextBoolean() ? -1 : random.nextInt();
                for (int k = 0; k < 4 && at + k < b.length; k++) {
                    b[at + k] = (byte) (v >>> (8 * k));
                }
            }
            default -> {
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int n = Math.min(other.length, b.length - at);
                System.arraycopy(other, 0, b, at, random.nextInt(n + 1));
            }
        }
        return b;
    }

    public static void main(String[] args) {
        long inputs = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1L;
        long t0 = System.nanoTime();
        Report r = new DecoderFuzzer(seed).run(inputs);
        System.out.printf("fuzzed %d inputs x %d decoders in %.1f s: %d decoded, %d rejected with a clear error, "
                + "%d findings, slowest input %.3f ms%n", r.inputs(), CODECS.size() + 2, (System.nanoTime() - t0) / 1e9,
                r.decoded(), r.rejected(), r.findings().size(), r.slowestNanos() / 1e6);
        r.findings().forEach(System.out::println);
        if (!r.findings().isEmpty()) {
            System.exit(1);
        }
    }
}
