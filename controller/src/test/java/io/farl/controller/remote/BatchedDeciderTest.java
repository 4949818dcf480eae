package io.farl.controller.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.farl.controller.loop.Proposal;
import io.farl.controller.session.ModelProposalSource;
import io.farl.controller.session.SessionMethod;
import io.farl.model.api.FailureCostModel;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicyAction;
import io.farl.robot.api.Observation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchedDeciderTest {

    /** Action (obs[0] * scale + k-th sample offset); log-probability -k; version as given. */
    private static final class Counting implements Policy {
        final float scale;
        final long version;
        int k;

        Counting(float scale, long version) {
            this.scale = scale;
            this.version = version;
        }

        @Override
        public PolicyAction act(float[] o, boolean deterministic) {
            int i = deterministic ? 0 : k++;
            return new PolicyAction(new float[] {o[0] * scale + 0.01f * i, -o[1]}, -i, version);
        }

        @Override
        public double logProb(float[] observation, float[] action) {
            return 0;
        }

        @Override
        public int observationSize() {
            return 2;
        }

        @Override
        public int actionSize() {
            return 2;
        }

        @Override
        public long version() {
            return version;
        }
    }

    /** C_H = |a0| + o1; the recovery rollout adds 1; counts batch calls and rows. */
    private static final class Cost implements FailureCostModel {
        final List<Integer> batches = new ArrayList<>();

        @Override
        public double cost(float[] o, float[] a) {
            return Math.abs(a[0]) + o[1];
        }

        @Override
        public double recoveryCost(float[] o, float[] a) {
            return cost(o, a) + 1;
        }

        @Override
        public void costs(float[][] o, float[][] a, double[] out) {
            batches.add(o.length);
            FailureCostModel.super.costs(o, a, out);
        }

        @Override
        public int horizonSteps() {
            return 3;
        }
    }

    private static InferenceCodec.Request request(String robot, int i) {
        return new InferenceCodec.Request(robot, i, new Observation(100 + i, i, new double[] {0.1 * i, 0.2}), 1);
    }

    @Test
    void shouldDecideAsTheSingleRobotSourceWithOneRolloutPerBatch() {
        Cost cost = new Cost();
        BatchedDecider d = new BatchedDecider(2, robot -> new Counting(robot.equals("a") ? 1f : 2f, 0), cost,
                new Counting(-1f, 0));
        ModelProposalSource a = new ModelProposalSource(SessionMethod.FARL, new Counting(1f, 0), new Cost(),
                new Counting(-1f, 0));
        ModelProposalSource b = new ModelProposalSource(SessionMethod.FARL, new Counting(2f, 0), new Cost(),
                new Counting(-1f, 0));
        for (int round = 0; round < 3; round++) {
            List<InferenceCodec.Request> batch = List.of(request("a", round), request("b", round),
                    request("a", round + 10));
            Proposal[] out = new Proposal[3];
            d.decide(batch, out);
            Proposal[] expected = {a.propose(batch.get(0).observation()), b.propose(batch.get(1).observation()),
                    a.propose(batch.get(2).observation())};
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(expected[i].taskAction(), out[i].taskAction(), 1e-9, "task action " + i);
                assertEquals(expected[i].taskCost(), out[i].taskCost(), 1e-9);
                assertArrayEquals(expected[i].recoveryAction(), out[i].recoveryAction(), 1e-9);
                assertEquals(expected[i].recoveryCost(), out[i].recoveryCost(), 1e-9);
                assertEquals(expected[i].logProb(), out[i].logProb());
                assertEquals(expected[i].stampNanos(), out[i].stampNanos());
            }
        }
        assertEquals(List.of(3, 3, 3), cost.batches, "one C_H call per batch");
        assertEquals(2, d.robots());
    }

    @Test
    void shouldActWithOfferedPoliciesFromTheNextBatch() {
        BatchedDecider d = new BatchedDecider(2, robot -> new Counting(1f, 0), new Cost(), new Counting(-1f, 0));
        Proposal[] out = new Proposal[1];
        d.decide(List.of(request("a", 1)), out);
        assertEquals(0, out[0].policyVersion());
        d.offerTaskPolicies(robot -> new Counting(1f, 7));
        d.decide(List.of(request("a", 2)), out);
        assertEquals(7, out[0].policyVersion());
        d.decide(List.of(request("c", 3)), out);
        assertEquals(7, out[0].policyVersion(), "a robot that asks later gets the new version too");
    }
}
