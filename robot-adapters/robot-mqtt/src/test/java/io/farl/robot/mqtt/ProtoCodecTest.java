package io.farl.robot.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.farl.robot.api.Command;
import io.farl.robot.api.Observation;

class ProtoCodecTest {
    private static final String R = "arm-1";

    private static io.farl.protocol.v1.Command.Builder command() {
        return io.farl.protocol.v1.Command.newBuilder().setSchemaVersion(1).setRobot(R).setStampNanos(10)
                .setSequence(3).setExpiresAtNanos(20).addAction(0.1).addAction(0.2).addAction(0.3).addAction(1);
    }

    private static String commandError(io.farl.protocol.v1.Command.Builder b) {
        Decoded<Command> d = ProtoCodec.decodeCommand(b.build().toByteArray(), R, 4);
        assertFalse(d.ok());
        return d.error();
    }

    @Test
    void shouldRoundTripACommand() {
        Command c = new Command(10, 3, 20, new double[] {0.1, -0.2, 0.3, 1});
        Decoded<Command> d = ProtoCodec.decodeCommand(ProtoCodec.encodeCommand(R, c), R, 4);
        assertEquals(c, d.value());
    }

    @Test
    void shouldRoundTripAnObservation() {
        Observation o = new Observation(5, 7, new double[] {1, 2, 3});
        assertArrayEquals(o.values(), ProtoCodec.decodeObservation(ProtoCodec.encodeObservation(R, o), R, 3)
                .value().values());
    }

    @Test
    void shouldRefuseACommandWithoutExpiry() {
        assertTrue(commandError(command().clearExpiresAtNanos()).contains("expires_at_nanos missing"));
    }

    @Test
    void shouldRefuseACommandExpiringBeforeItsStamp() {
        assertTrue(commandError(command().setExpiresAtNanos(9)).contains("before its stamp"));
    }

    @Test
    void shouldRefuseAnotherSchemaVersion() {
        assertTrue(commandError(command().setSchemaVersion(2)).contains("schema_version must be 1, got 2"));
        assertTrue(commandError(command().setSchemaVersion(0)).contains("got 0"));
    }

    @Test
    void shouldRefuseAnotherRobotsCommand() {
        assertTrue(commandError(command().setRobot("arm-2")).contains("robot must be 'arm-1'"));
    }

    @Test
    void shouldRefuseAWronglySizedOrNonFiniteAction() {
        assertTrue(commandError(command().addAction(0)).contains("must have 4 entries, got 5"));
        assertTrue(commandError(command().setAction(2, Double.NaN)).contains("action[2] is not finite"));
        assertTrue(commandError(command().setAction(0, Double.POSITIVE_INFINITY)).contains("action[0]"));
    }

    @Test
    void shouldRefuseASequenceBeyondTheSignedRange() {
        assertTrue(commandError(command().setSequence(-1L)).contains("sequence out of range"));
    }

    @Test
    void shouldRefuseGarbageAndOversizedPayloads() {
        assertTrue(ProtoCodec.decodeCommand(new byte[] {(byte) 0xff, 0x01}, R, 4).error().contains("malformed"));
        assertTrue(ProtoCodec.decodeObservation(new byte[ProtoCodec.MAX_PAYLOAD_BYTES + 1], R, 3).error()
                .contains("exceeds"));
        assertTrue(ProtoCodec.decodeObservation(null, R, 3).error().contains("missing"));
    }

    @Test
    void shouldRefuseAnEmptyPayloadAsSchemaVersionZero() {
        assertTrue(ProtoCodec.decodeEStop(new byte[0], R).error().contains("schema_version must be 1, got 0"));
    }

    @Test
    void shouldRoundTripControlMessages() {
        EStopSignal e = new EStopSignal(true, 4, "operator");
        assertEquals(e, ProtoCodec.decodeEStop(ProtoCodec.encodeEStop(R, e), R).value());
        EpisodeSignal ep = new EpisodeSignal(EpisodeSignal.Kind.FAILURE, 3, -1, 9);
        assertEquals(ep, ProtoCodec.decodeEpisode(ProtoCodec.encodeEpisode(R, ep), R).value());
        LinkState s = new LinkState(false, 0);
        assertEquals(s, ProtoCodec.decodeLinkState(ProtoCodec.encodeLinkState(R, s), R).value());
    }

    @Test
    void shouldRefuseAnUnspecifiedLinkState() {
        byte[] p = io.farl.protocol.v1.LinkStatus.newBuilder().setSchemaVersion(1).setRobot(R).build().toByteArray();
        assertTrue(ProtoCodec.decodeLinkState(p, R).error().contains("ONLINE or OFFLINE"));
    }
}
