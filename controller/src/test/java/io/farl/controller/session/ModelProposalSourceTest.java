package io.farl.controller.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.farl.controller.loop.Proposal;
import io.farl.model.api.FailureCostModel;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicyAction;
import io.farl.robot.api.Observation;
import org.junit.jupiter.api.Test;

class ModelProposalSourceTest {

    /** Samples the given x-actions in turn; the log-probability of sample k is -k. */
    static final class Scripted implements Policy {
        final float[] xs;
        int k;

        Scripted(float... xs) {
            this.xs = xs;
        }

        @Override
        public PolicyAction act(float[] observation, boolean deterministic) {
            int i = k++ % xs.length;
            return new PolicyAction(new float[] {xs[i], 0, 0, 0}, -i, 3);
        }

        @Override
        public double logProb(float[] observation, float[] action) {
            return 0;
        }

        @Override
        public int observationSize() {
            return 4;
        }

        @Override
        public int actionSize() {
            return 4;
        }

        @Override
        public long version() {
            return 3;
        }
    }

    /** C_H = the x-action itself (so larger pushes are riskier); counts its calls. */
    static final class XCost implements FailureCostModel {
        int calls;

        @Override
        public double cost(float[] observation, float[] action) {
            calls++;
            return action[0];
        }

        @Override
        public void costs(float[][] observations, float[][] actions, double[] out) {
            for (int i = 0; i < observations.length; i++) {
                out[i] = cost(observations[i], actions[i]);
            }
        }

        @Override
        public int horizonSteps() {
            return 0;
        }
    }

    private static final Observation OBS = new Observation(1, 1, new double[4]);

    @Test
    void shouldProposeTheFirstPredictedSafeSampleWhenFiltering() {
        XCost cost = new XCost();
        ModelProposalSource s = new ModelProposalSource(SessionMethod.FARL_FILTER, new Scripted(0.9f, 0.7f, 0.2f, 0.1f),
                cost, new Fakes.PullBack(), 4, 0.5);
        Proposal p = s.propose(OBS);
        assertEquals(0.2, p.taskAction()[0], 1e-6, "third sample is the first below eps");
        assertEquals(0.2, p.taskCost(), 1e-6);
        assertEquals(-2, p.logProb(), "the executed sample's own log-probability");
        assertEquals(1, s.filteredProposals());
    }

    @Test
    void shouldProposeTheLeastRiskySampleWhenNoneIsSafe() {
        ModelProposalSource s = new ModelProposalSource(SessionMethod.FARL_FILTER, new Scripted(0.9f, 0.6f, 0.8f),
                new XCost(), new Fakes.PullBack(), 3, 0.5);
        Proposal p = s.propose(OBS);
        assertEquals(0.6, p.taskAction()[0], 1e-6);
        assertEquals(0.6, p.taskCost(), 1e-6, "above eps: the gate hands over to recovery");
        assertEquals(-0.5, p.recoveryAction()[0], 1e-6);
        assertEquals(0, s.filteredProposals());
    }

    @Test
    void shouldScoreOnlyTheFirstSampleWhenItIsSafeOrWhenNotFiltering() {
        XCost cost = new XCost();
        ModelProposalSource filter = new ModelProposalSource(SessionMethod.FARL_FILTER, new Scripted(0.1f, 0.9f),
                cost, new Fakes.PullBack(), 8, 0.5);
        assertEquals(0.1, filter.propose(OBS).taskAction()[0], 1e-6);
        assertEquals(2, cost.calls, "the task sample and the recovery action");
        XCost farlCost = new XCost();
        ModelProposalSource farl = new ModelProposalSource(SessionMethod.FARL, new Scripted(0.9f, 0.1f), farlCost,
                new Fakes.PullBack());
        Proposal p = farl.propose(OBS);
        assertEquals(0.9, p.taskAction()[0], 1e-6, "FARL proposes the sample as drawn");
        assertEquals(0.9, p.taskCost(), 1e-6);
    }

    @Test
    void shouldRejectAFilterWithoutSamplesOrThreshold() {
        assertThrows(IllegalArgumentException.class, () -> new ModelProposalSource(SessionMethod.FARL_FILTER,
                new Scripted(0.1f), new XCost(), new Fakes.PullBack(), 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new ModelProposalSource(SessionMethod.FARL_FILTER,
                new Scripted(0.1f), new XCost(), new Fakes.PullBack(), 4, Double.NaN));
    }
}
