package io.farl.controller.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.StepRecord;
import io.farl.protocol.v1.PolicyUpdate;
import io.farl.protocol.v1.StepAck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearnCodecTest {

    @Test
    void shouldCarryStepsUnchanged() {
        List<StepRecord> steps = FleetFixtures.steps(0, 5, 7);
        byte[] b = LearnCodec.batch("r1", "run-a", 3, 42, steps);
        LearnCodec.Batch d = LearnCodec.decodeBatch("r1", b, FleetFixtures.OBS, FleetFixtures.ACT);
        assertEquals("run-a", d.runId());
        assertEquals(3, d.seq());
        assertEquals(5, d.steps().size());
        for (int i = 0; i < 5; i++) {
            StepRecord a = steps.get(i);
            StepRecord x = d.steps().get(i);
            assertArrayEquals(a.observation(), x.observation());
            assertArrayEquals(a.nextObservation(), x.nextObservation());
            assertArrayEquals(a.executedAction(), x.executedAction());
            assertArrayEquals(a.proposedAction(), x.proposedAction());
            assertEquals(a.proposalLogProb(), x.proposalLogProb());
            assertEquals(a.reward(), x.reward());
            assertEquals(a.policyVersion(), x.policyVersion());
            assertEquals(a.recoveryActed(), x.recoveryActed());
        }
    }

    @Test
    void shouldRefuseBatchesThatDoNotFit() {
        byte[] b = LearnCodec.batch("r1", "run-a", 1, 0, FleetFixtures.steps(0, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> LearnCodec.decodeBatch("r2", b, 3, 2), "other robot");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearnCodec.decodeBatch("r1", b, 4, 2));
        assertTrue(e.getMessage().contains("steps[0].observation"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LearnCodec.decodeBatch("r1", new byte[] {1, 2, 3}, 3, 2));
        byte[] seq0 = LearnCodec.batch("r1", "run-a", 0, 0, FleetFixtures.steps(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> LearnCodec.decodeBatch("r1", seq0, 3, 2));
    }

    @Test
    void shouldCarryAPolicyWithItsHash() {
        PolicySnapshot s = FleetFixtures.snapshot(4, 0.5f);
        LearnCodec.Policy p = LearnCodec.decodePolicy(LearnCodec.policy(s, "ws", 4, 8000, 1));
        assertEquals(4, p.snapshot().version());
        assertEquals(s.parameters(), p.snapshot().parameters());
        assertEquals(s.networkConfig(), p.snapshot().networkConfig());
        assertEquals(LearnCodec.hex(LearnCodec.sha256(s.parameters())), p.sha256Hex());
        assertEquals(8000, p.stepsTrained());
    }

    @Test
    void shouldRefuseACorruptedPolicy() throws Exception {
        byte[] good = LearnCodec.policy(FleetFixtures.snapshot(4, 0.5f), "ws", 4, 0, 1);
        // one weight changed after hashing: the hash no longer matches
        PolicyUpdate u = PolicyUpdate.parseFrom(good);
        PolicyUpdate.Builder b = u.toBuilder();
        b.getTensorsBuilder(2).setData(3, 9.0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearnCodec.decodePolicy(b.build().toByteArray()));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        // a NaN weight, hashed as sent: refused as non-finite
        Map<String, NamedArray> m = new LinkedHashMap<>(FleetFixtures.snapshot(4, 0.5f).parameters().asMap());
        float[] w = m.get("actor.out").data().clone();
        w[1] = Float.NaN;
        m.put("actor.out", new NamedArray(new int[] {4, 2}, w));
        byte[] nan = LearnCodec.policy(new PolicySnapshot(5, 0, new ParameterSet(m), FleetFixtures.config()), "ws", 5,
                0, 1);
        e = assertThrows(IllegalArgumentException.class, () -> LearnCodec.decodePolicy(nan));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        // a cut message
        byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
        assertThrows(IllegalArgumentException.class, () -> LearnCodec.decodePolicy(cut));
    }

    @Test
    void shouldCarryAcknowledgements() {
        LearnCodec.Ack a = LearnCodec.decodeAck("r1", LearnCodec.ack("r1", "run-a", 9, StepAck.Status.ACCEPTED, 60, 4,
                ""));
        assertEquals(new LearnCodec.Ack("run-a", 9, StepAck.Status.ACCEPTED, 60, 4, ""), a);
        assertThrows(IllegalArgumentException.class, () -> LearnCodec.decodeAck("r2", LearnCodec.ack("r1", "x", 1,
                StepAck.Status.ACCEPTED, 0, 0, "")));
        assertThrows(IllegalArgumentException.class, () -> LearnCodec.decodeAck("r1", LearnCodec.ack("r1", "x", 1,
                StepAck.Status.STATUS_UNSPECIFIED, 0, 0, "")));
    }
}
