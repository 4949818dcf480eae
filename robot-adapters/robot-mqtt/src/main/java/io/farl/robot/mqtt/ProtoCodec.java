package io.farl.robot.mqtt;

import com.google.protobuf.InvalidProtocolBufferException;

import io.farl.protocol.v1.EStop;
import io.farl.protocol.v1.EpisodeEvent;
import io.farl.protocol.v1.LinkStatus;
import io.farl.robot.api.Command;
import io.farl.robot.api.Observation;

/**
 * Protobuf payloads of the MQTT link ({@code farl.v1} schema version 1) to and from the records of {@code robot-api}.
 * Decoders check everything a sender can get wrong — size, schema version, robot id, vector length, finiteness,
 * presence of required optionals, ranges — and return a {@link Decoded} with a clear error instead of throwing, for
 * any input (they are fuzzed). Stateless and thread-safe.
 */
public final class ProtoCodec {
    /** Schema version written and the only one accepted. */
    public static final int SCHEMA_VERSION = 1;
    /** Payloads above this size are refused before parsing. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    private ProtoCodec() {
    }

    public static byte[] encodeObservation(String robot, Observation o) {
        io.farl.protocol.v1.Observation.Builder b = io.farl.protocol.v1.Observation.newBuilder()
                .setSchemaVersion(SCHEMA_VERSION).setRobot(robot).setStampNanos(o.stampNanos())
                .setSequence(o.sequence());
        for (double v : o.values()) {
            b.addValues(v);
        }
        return b.build().toByteArray();
    }

    public static byte[] encodeCommand(String robot, Command c) {
        io.farl.protocol.v1.Command.Builder b = io.farl.protocol.v1.Command.newBuilder()
                .setSchemaVersion(SCHEMA_VERSION).setRobot(robot).setStampNanos(c.stampNanos())
                .setSequence(c.sequence()).setExpiresAtNanos(c.expiresAtNanos());
        for (double v : c.action()) {
            b.addAction(v);
        }
        return b.build().toByteArray();
    }

    public static byte[] encodeLinkState(String robot, LinkState s) {
        return LinkStatus.newBuilder().setSchemaVersion(SCHEMA_VERSION).setRobot(robot)
                .setState(s.online() ? LinkStatus.State.ONLINE : LinkStatus.State.OFFLINE)
                .setStampNanos(s.stampNanos()).build().toByteArray();
    }

    public static byte[] encodeEStop(String robot, EStopSignal e) {
        return EStop.newBuilder().setSchemaVersion(SCHEMA_VERSION).setRobot(robot).setEngaged(e.engaged())
                .setStampNanos(e.stampNanos()).setReason(e.reason() == null ? "" : e.reason()).build().toByteArray();
    }

    public static byte[] encodeEpisode(String robot, EpisodeSignal e) {
        EpisodeEvent.Builder b = EpisodeEvent.newBuilder().setSchemaVersion(SCHEMA_VERSION).setRobot(robot)
                .setKind(EpisodeEvent.Kind.forNumber(e.kind().ordinal() + 1)).setEpisode(e.episode())
                .setStampNanos(e.stampNanos());
        if (e.seed() >= 0) {
            b.setSeed(e.seed());
        }
        return b.build().toByteArray();
    }

    /** An observation of {@code robot} with exactly {@code size} finite values and a non-negative sequence. */
    public static Decoded<Observation> decodeObservation(byte[] payload, String robot, int size) {
        String bad = checkSize(payload);
        if (bad != null) {
            return Decoded.error(bad);
        }
        try {
            io.farl.protocol.v1.Observation m = io.farl.protocol.v1.Observation.parseFrom(payload);
            bad = header("Observation", m.getSchemaVersion(), m.getRobot(), robot);
            if (bad == null) {
                bad = vector("Observation.values", m.getValuesList(), size);
            }
            if (bad == null && m.getSequence() < 0) {
                bad = "Observation.sequence out of range: " + Long.toUnsignedString(m.getSequence());
            }
            if (bad != null) {
                return Decoded.error(bad);
            }
            return Decoded.of(new Observation(m.getStampNanos(), m.getSequence(), toArray(m.getValuesList())));
        } catch (InvalidProtocolBufferException e) {
            return Decoded.error("Observation: malformed protobuf: " + e.getMessage());
        } catch (RuntimeException e) {
            return Decoded.error("Observation: undecodable payload: " + e);
        }
    }

    /** A command of {@code robot} with {@code size} finite values, an expiry not before its stamp. */
    public static Decoded<Command> decodeCommand(byte[] payload, String robot, int size) {
        String bad = checkSize(payload);
        if (bad != null) {
            return Decoded.error(bad);
        }
        try {
            io.farl.protocol.v1.Command m = io.farl.protocol.v1.Command.parseFrom(payload);
            bad = header("Command", m.getSchemaVersion(), m.getRobot(), robot);
            if (bad == null) {
                bad = vector("Command.action", m.getActionList(), size);
            }
            if (bad == null && !m.hasExpiresAtNanos()) {
                bad = "Command.expires_at_nanos missing (required)";
            }
            if (bad == null && m.getExpiresAtNanos() < m.getStampNanos()) {
                bad = "Command expires (" + m.getExpiresAtNanos() + ") before its stamp (" + m.getStampNanos() + ")";
            }
            if (bad == null && m.getSequence() < 0) {
                bad = "Command.sequence out of range: " + Long.toUnsignedString(m.getSequence());
            }
            if (bad != null) {
                return Decoded.error(bad);
            }
            return Decoded.of(new Command(m.getStampNanos(), m.getSequence(), m.getExpiresAtNanos(),
                    toArray(m.getActionList())));
        } catch (InvalidProtocolBufferException e) {
            return Decoded.error("Command: malformed protobuf: " + e.getMessage());
        } catch (RuntimeException e) {
            return Decoded.error("Command: undecodable payload: " + e);
        }
    }

    public static Decoded<LinkState> decodeLinkState(byte[] payload, String robot) {
        String bad = checkSize(payload);
        if (bad != null) {
            return Decoded.error(bad);
        }
        try {
            LinkStatus m = LinkStatus.parseFrom(payload);
            bad = header("LinkStatus", m.getSchemaVersion(), m.getRobot(), robot);
            if (bad == null && m.getState() != LinkStatus.State.ONLINE && m.getState() != LinkStatus.State.OFFLINE) {
                bad = "LinkStatus.state must be ONLINE or OFFLINE, got " + m.getStateValue();
            }
            return bad != null ? Decoded.error(bad)
                    : Decoded.of(new LinkState(m.getState() == LinkStatus.State.ONLINE, m.getStampNanos()));
        } catch (InvalidProtocolBufferException e) {
            return Decoded.error("LinkStatus: malformed protobuf: " + e.getMessage());
        } catch (RuntimeException e) {
            return Decoded.error("LinkStatus: undecodable payload: " + e);
        }
    }

    public static Decoded<EStopSignal> decodeEStop(byte[] payload, String robot) {
        String bad = checkSize(payload);
        if (bad != null) {
            return Decoded.error(bad);
        }
        try {
            EStop m = EStop.parseFrom(payload);
            bad = header("EStop", m.getSchemaVersion(), m.getRobot(), robot);
            return bad != null ? Decoded.error(bad)
                    : Decoded.of(new EStopSignal(m.getEngaged(), m.getStampNanos(), m.getReason()));
        } catch (InvalidProtocolBufferException e) {
            return Decoded.error("EStop: malformed protobuf: " + e.getMessage());
        } catch (RuntimeException e) {
            return Decoded.error("EStop: undecodable payload: " + e);
        }
    }

    public static Decoded<EpisodeSignal> decodeEpisode(byte[] payload, String robot) {
        String bad = checkSize(payload);
        if (bad != null) {
            return Decoded.error(bad);
        }
        try {
            EpisodeEvent m = EpisodeEvent.parseFrom(payload);
            bad = header("EpisodeEvent", m.getSchemaVersion(), m.getRobot(), robot);
            int kind = m.getKindValue();
            if (bad == null && (kind < 1 || kind > EpisodeSignal.Kind.values().length)) {
                bad = "EpisodeEvent.kind must be RESET, SUCCESS, FAILURE or TRUNCATED, got " + kind;
            }
            if (bad == null && (m.getEpisode() < 0 || (m.hasSeed() && m.getSeed() < 0))) {
                bad = "EpisodeEvent.episode or seed out of range";
            }
            if (bad != null) {
                return Decoded.error(bad);
            }
            return Decoded.of(new EpisodeSignal(EpisodeSignal.Kind.values()[kind - 1], m.getEpisode(),
                    m.hasSeed() ? m.getSeed() : -1, m.getStampNanos()));
        } catch (InvalidProtocolBufferException e) {
            return Decoded.error("EpisodeEvent: malformed protobuf: " + e.getMessage());
        } catch (RuntimeException e) {
            return Decoded.error("EpisodeEvent: undecodable payload: " + e);
        }
    }

    private static String checkSize(byte[] payload) {
        if (payload == null) {
            return "payload missing";
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return "payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES;
        }
        return null;
    }

    private static String header(String type, int schemaVersion, String robot, String expectedRobot) {
        if (schemaVersion != SCHEMA_VERSION) {
            return type + ".schema_version must be " + SCHEMA_VERSION + ", got " + Integer.toUnsignedString(
                    schemaVersion);
        }
        if (!expectedRobot.equals(robot)) {
            return type + ".robot must be '" + expectedRobot + "', got '" + abbreviate(robot) + "'";
        }
        return null;
    }

    private static String vector(String name, java.util.List<Double> values, int size) {
        if (values.size() != size) {
            return name + " must have " + size + " entries, got " + values.size();
        }
        for (int i = 0; i < values.size(); i++) {
            if (!Double.isFinite(values.get(i))) {
                return name + "[" + i + "] is not finite: " + values.get(i);
            }
        }
        return null;
    }

    private static double[] toArray(java.util.List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
