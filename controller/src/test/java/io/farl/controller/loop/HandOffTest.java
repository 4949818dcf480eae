package io.farl.controller.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.api.Observation;
import org.junit.jupiter.api.Test;

class HandOffTest {
    private static final double[] A = {0, 0, 0, 0};

    @Test
    void shouldReturnTheNewestValue() {
        LatestValue<String> v = new LatestValue<>();
        assertNull(v.latest());
        v.publish("a");
        v.publish("b");
        assertEquals("b", v.latest());
    }

    @Test
    void shouldNeverReturnAValueComputedBeforeAClear() {
        LatestValue<String> v = new LatestValue<>();
        long epoch = v.epoch(); // producer starts work
        v.clear(); // loop deactivates meanwhile
        assertFalse(v.publish("old", epoch));
        assertNull(v.latest());
        assertEquals(1, v.rejected());
        assertTrue(v.publish("new", v.epoch()));
        assertEquals("new", v.latest());
    }

    @Test
    void shouldCountAndKeepTheExceptionOfAFailingSource() {
        LatestValue<Observation> obs = new LatestValue<>();
        LatestValue<Proposal> proposals = new LatestValue<>();
        IllegalStateException boom = new IllegalStateException("model failed");
        ProposalWorker w = new ProposalWorker(obs, proposals, o -> {
            throw boom;
        });
        obs.publish(new Observation(100, 1, new double[] {0}));
        assertFalse(w.step());
        assertEquals(1, w.exceptions());
        assertSame(boom, w.lastException());
        assertNull(proposals.latest());
    }

    @Test
    void shouldProposeOncePerObservationAndDropMislabelledProposals() {
        LatestValue<Observation> obs = new LatestValue<>();
        LatestValue<Proposal> proposals = new LatestValue<>();
        int[] calls = {0};
        ProposalWorker w = new ProposalWorker(obs, proposals, o -> {
            calls[0]++;
            long seq = o.sequence() == 3 ? 2 : o.sequence();
            return new Proposal(o.stampNanos(), seq, A, 0.1, A, 0.1, 0, 1);
        });
        assertFalse(w.step());
        obs.publish(new Observation(100, 1, new double[] {0}));
        assertTrue(w.step());
        assertFalse(w.step(), "same observation: no second inference");
        assertEquals(1, calls[0]);
        assertEquals(1, proposals.latest().observationSequence());
        obs.publish(new Observation(200, 3, new double[] {0}));
        assertFalse(w.step());
        assertEquals(1, w.mislabelled());
    }

    @Test
    void shouldDropAProposalThatStraddlesADeactivation() {
        LatestValue<Observation> obs = new LatestValue<>();
        LatestValue<Proposal> proposals = new LatestValue<>();
        ProposalWorker w = new ProposalWorker(obs, proposals, o -> {
            proposals.clear(); // the loop deactivates while the model runs
            return new Proposal(o.stampNanos(), o.sequence(), A, 0.1, A, 0.1, 0, 1);
        });
        Observation o = new Observation(100, 1, new double[] {0});
        obs.publish(o);
        assertFalse(w.step());
        assertNull(proposals.latest());
        assertSame(o, obs.latest());
    }
}
