package io.farl.controller.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.session.TaskPolicyFactory;
import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicyAction;
import io.farl.model.api.PolicySnapshot;
import io.farl.protocol.v1.PolicyUpdate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyDownlinkTest {
    private final List<Long> acting = new ArrayList<>();

    private static Policy versioned(long version) {
        return new Policy() {
            @Override
            public PolicyAction act(float[] observation, boolean deterministic) {
                throw new UnsupportedOperationException();
            }

            @Override
            public double logProb(float[] observation, float[] action) {
                return 0;
            }

            @Override
            public int observationSize() {
                return FleetFixtures.OBS;
            }

            @Override
            public int actionSize() {
                return FleetFixtures.ACT;
            }

            @Override
            public long version() {
                return version;
            }
        };
    }

    private PolicyDownlink downlink(PolicyDownlink.RollbackRule rule, PolicyDownlink.LearnerLost lost) {
        TaskPolicyFactory f = (s, seed) -> versioned(s == null ? 0 : s.version());
        return new PolicyDownlink("r1", FleetFixtures.snapshot(0, 0f), f, p -> acting.add(p.version()), 100, rule,
                lost);
    }

    private static byte[] update(long version) {
        return LearnCodec.policy(FleetFixtures.snapshot(version, 0.1f * version), "ws", version, 0, 1);
    }

    @Test
    void shouldSwapInNewerVersionsOnly() {
        PolicyDownlink d = downlink(PolicyDownlink.RollbackRule.never(), PolicyDownlink.LearnerLost.KEEP);
        d.onPolicy(update(2));
        d.onPolicy(update(1));
        d.onPolicy(update(2));
        d.onPolicy(update(3));
        assertEquals(List.of(2L, 3L), acting);
        PolicyDownlink.Stats s = d.stats();
        assertEquals(3, s.activeVersion());
        assertEquals(2, s.refusedNotNewer(), s.toString());
        assertEquals(4, s.received());
    }

    @Test
    void shouldRefuseCorruptedOrMisfittingPolicies() throws Exception {
        PolicyDownlink d = downlink(PolicyDownlink.RollbackRule.never(), PolicyDownlink.LearnerLost.KEEP);
        PolicyUpdate.Builder corrupted = PolicyUpdate.parseFrom(update(5)).toBuilder();
        corrupted.getTensorsBuilder(0).setData(0, 3.5f);
        d.onPolicy(corrupted.build().toByteArray());
        Map<String, NamedArray> m = new LinkedHashMap<>(FleetFixtures.snapshot(6, 0f).parameters().asMap());
        m.put("actor.out", new NamedArray(new int[] {2, 4}, new float[8]));
        d.onPolicy(LearnCodec.policy(new PolicySnapshot(6, 0, new ParameterSet(m), FleetFixtures.config()), "ws", 6,
                0, 1));
        m.remove("actor.out");
        d.onPolicy(LearnCodec.policy(new PolicySnapshot(7, 0, new ParameterSet(m), FleetFixtures.config()), "ws", 7,
                0, 1));
        assertEquals(List.of(), acting, "nothing swapped in");
        PolicyDownlink.Stats s = d.stats();
        assertEquals(1, s.refusedMessage(), s.toString());
        assertEquals(2, s.refusedShape(), s.toString());
        assertEquals(0, s.activeVersion());
        assertTrue(s.lastRefusal().contains("tensors"), s.lastRefusal());
        d.onPolicy(update(5));
        assertEquals(List.of(5L), acting, "the intact copy of version 5 is taken");
    }

    @Test
    void shouldRollBackOnCommandAndRefuseTheRolledBackVersion() {
        PolicyDownlink d = downlink(PolicyDownlink.RollbackRule.never(), PolicyDownlink.LearnerLost.KEEP);
        d.onPolicy(update(1));
        d.onPolicy(update(2));
        d.onControl(LearnCodec.rollback("r1", "operator"));
        assertEquals(List.of(1L, 2L, 1L), acting);
        d.onPolicy(update(2)); // the retained copy again
        assertEquals(1, d.activeVersion());
        d.onControl(LearnCodec.rollback("r1", "again")); // nothing earlier kept
        assertEquals(1, d.activeVersion());
        d.onControl(LearnCodec.rollback("r2", "another robot's"));
        d.onPolicy(update(3));
        PolicyDownlink.Stats s = d.stats();
        assertEquals(3, s.activeVersion());
        assertEquals(1, s.rollbacksCommanded(), s.toString());
        assertEquals(List.of(2L), s.rolledBack());
    }

    @Test
    void shouldRollBackAVersionThatFailsTooOften() {
        PolicyDownlink d = downlink(new PolicyDownlink.RollbackRule(0.3, 10), PolicyDownlink.LearnerLost.KEEP);
        d.onPolicy(update(1));
        for (int i = 0; i < 10; i++) {
            d.episodeEnded(1, i < 2); // 20 %: kept
        }
        d.onPolicy(update(2));
        for (int i = 0; i < 9; i++) {
            d.episodeEnded(2, i < 5); // 5 of 9: not judged yet
        }
        assertEquals(2, d.activeVersion());
        d.episodeEnded(2, false); // 5 of 10 = 50 % > 30 %
        assertEquals(1, d.activeVersion());
        assertEquals(List.of(1L, 2L, 1L), acting);
        PolicyDownlink.Stats s = d.stats();
        assertEquals(1, s.rollbacksAutomatic(), s.toString());
        assertEquals(new PolicyDownlink.VersionTally(2, 10, 5), s.versions().get(1));
    }

    @Test
    void shouldActWithThePretrainedPolicyWhileTheLearnerIsLostWhenConfigured() {
        PolicyDownlink d = downlink(PolicyDownlink.RollbackRule.never(), PolicyDownlink.LearnerLost.PRETRAINED);
        d.onPolicy(update(4));
        d.learnerReachable(false);
        d.onPolicy(update(5)); // kept, not acted with while lost
        d.learnerReachable(true);
        assertEquals(List.of(4L, 0L, 5L), acting);
        PolicyDownlink keep = downlink(PolicyDownlink.RollbackRule.never(), PolicyDownlink.LearnerLost.KEEP);
        acting.clear();
        keep.onPolicy(update(4));
        keep.learnerReachable(false);
        keep.learnerReachable(true);
        assertEquals(List.of(4L), acting);
    }
}
