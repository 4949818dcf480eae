package io.farl.model.djl;

import io.farl.model.jvm.JvmGaussianPolicy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicyAction;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.PpoConfig;
import io.farl.model.api.RecoveryStorage;
import io.farl.model.api.StepRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NdLeakCheck.class)
class PpoLearnerTest {
    static final PolicyNetworkConfig NET = new PolicyNetworkConfig(2, 1, 32, 2, -0.5, -5, 1);

    static PpoConfig config() {
        return PpoConfig.defaults().withBatch(256, 64, 4).withLearningRates(3e-3, 3e-3);
    }

    /** One-step bandit: reward −(a − 0.5)²; every step terminates. */
    static StepRecord banditStep(JvmGaussianPolicy pi, Random rnd) {
        float[] obs = {(float) rnd.nextGaussian(), (float) rnd.nextGaussian()};
        PolicyAction a = pi.act(obs, false);
        double r = -Math.pow(a.action()[0] - 0.5, 2);
        return new StepRecord(obs, a.action(), a.action(), a.logProb(), a.policyVersion(), r, obs, true, false, false,
                false);
    }

    @Test
    void shouldMoveThePolicyTowardsHigherReward() {
        Random rnd = new Random(4);
        float[] probe = {0, 0};
        try (NDManager m = NDManager.newBaseManager();
                GaussianPolicyModel init = GaussianPolicyModel.create(m, NET, new float[2], new float[] {1, 1}, 3);
                PpoLearner learner = new PpoLearner(m, init, config(), 0)) {
            JvmGaussianPolicy pi = JvmGaussianPolicy.fromSnapshot(learner.latestSnapshot().orElseThrow(), 1);
            double before = Math.abs(pi.act(probe, true).action()[0] - 0.5);
            long t0 = System.nanoTime();
            int used = 0;
            for (int u = 0; u < 12; u++) {
                for (int i = 0; i < 256; i++) {
                    assertTrue(learner.offer(banditStep(pi, rnd)));
                }
                LearnerUpdate up = learner.update();
                assertTrue(up.updated());
                assertEquals(u + 1, up.policyVersion());
                used += up.samplesUsed();
                pi = JvmGaussianPolicy.fromSnapshot(learner.latestSnapshot().orElseThrow(), 1);
            }
            double after = Math.abs(pi.act(probe, true).action()[0] - 0.5);
            System.out.printf("ppo bandit: |a-0.5| %.3f -> %.3f, %.0f samples/s (x4 epochs)%n", before, after,
                    used / ((System.nanoTime() - t0) / 1e9));
            assertTrue(after < 0.5 * before, before + " -> " + after);
        }
    }

    @Test
    void shouldDropOldestStepsWhenTheQueueIsFullAndWaitForAFullBatch() {
        PpoConfig c = new PpoConfig(0.99, 0.95, 0.2, 0, 1, 8, 4, 1e-3, 1e-3, 0.5, 8, RecoveryStorage.EXECUTED_ACTION,
                -20, true, 1);
        try (NDManager m = NDManager.newBaseManager();
                GaussianPolicyModel init = GaussianPolicyModel.create(m, NET, new float[2], new float[] {1, 1}, 3);
                PpoLearner learner = new PpoLearner(m, init, c, 0)) {
            JvmGaussianPolicy pi = JvmGaussianPolicy.fromSnapshot(learner.latestSnapshot().orElseThrow(), 1);
            Random rnd = new Random(1);
            for (int i = 0; i < 5; i++) {
                learner.offer(banditStep(pi, rnd));
            }
            assertFalse(learner.update().updated());
            for (int i = 0; i < 12; i++) {
                learner.offer(banditStep(pi, rnd));
            }
            assertEquals(4, learner.queueDrops());
            assertFalse(learner.offer(new StepRecord(new float[3], new float[1], new float[1], 0, 0, 0, new float[3],
                    true, false, false, false)));
            assertTrue(learner.update().updated());
        }
    }

    @Test
    void shouldExcludeUnexplainableRecoveryActionsOrAllOverriddenStepsAsConfigured() {
        for (RecoveryStorage storage : RecoveryStorage.values()) {
            PpoConfig c = new PpoConfig(0.99, 0.95, 0.2, 0, 1, 16, 8, 1e-3, 1e-3, 0.5, 16, storage, -3, true, 1);
            try (NDManager m = NDManager.newBaseManager();
                    GaussianPolicyModel init = GaussianPolicyModel.create(m, NET, new float[2], new float[] {1, 1}, 3);
                    PpoLearner learner = new PpoLearner(m, init, c, 0)) {
                JvmGaussianPolicy pi = JvmGaussianPolicy.fromSnapshot(learner.latestSnapshot().orElseThrow(), 1);
                Random rnd = new Random(2);
                for (int i = 0; i < 16; i++) {
                    StepRecord s = banditStep(pi, rnd);
                    if (i % 2 == 0) {
                        // recovery acted with an extreme action the task policy would almost never take
                        s = new StepRecord(s.observation(), new float[] {0.999f}, s.proposedAction(),
                                s.proposalLogProb(), s.policyVersion(), s.reward(), s.nextObservation(), true, false,
                                true, false);
                    }
                    learner.offer(s);
                }
                LearnerUpdate up = learner.update();
                assertTrue(up.updated());
                // EXECUTED_ACTION drops the recovery actions it cannot explain, MASKED leaves every overridden step
                // out of the policy loss, the proposal-based options train on all of them
                int expected = switch (storage) {
                    case EXECUTED_ACTION, MASKED -> 8;
                    case PROPOSED_ACTION, PENALISED_PROPOSAL -> 0;
                };
                assertEquals(expected, up.samplesDropped(), storage.name());
            }
        }
    }

    @Test
    void shouldContinueExactlyAfterRestoringASavedState(@TempDir Path dir) throws Exception {
        Random rnd = new Random(9);
        try (NDManager m = NDManager.newBaseManager();
                GaussianPolicyModel init = GaussianPolicyModel.create(m, NET, new float[2], new float[] {1, 1}, 3);
                PpoLearner a = new PpoLearner(m, init, config(), 0);
                PpoLearner b = new PpoLearner(m, init, config(), 0)) {
            JvmGaussianPolicy pi = JvmGaussianPolicy.fromSnapshot(a.latestSnapshot().orElseThrow(), 1);
            for (int i = 0; i < 300; i++) {
                a.offer(banditStep(pi, rnd));
            }
            assertTrue(a.update().updated());
            a.saveState(dir);
            b.restoreState(dir);
            assertEquals(a.latestSnapshot().orElseThrow().version(), b.latestSnapshot().orElseThrow().version());
            var saved = a.latestSnapshot().orElseThrow().parameters();
            var restored = b.latestSnapshot().orElseThrow().parameters();
            for (String name : saved.names()) {
                assertArrayEquals(saved.get(name).data(), restored.get(name).data(), name + " restored exactly");
            }
            pi = JvmGaussianPolicy.fromSnapshot(a.latestSnapshot().orElseThrow(), 1);
            for (int i = 0; i < 256; i++) {
                StepRecord s = banditStep(pi, rnd);
                a.offer(s);
                b.offer(s);
            }
            LearnerUpdate ua = a.update();
            LearnerUpdate ub = b.update();
            assertTrue(ua.updated() && ub.updated());
            // libtorch's multi-threaded reductions are not bit-reproducible under load, and step statistics such as
            // the clip fraction jump with them: compare losses and parameters with tolerances far below what a lost
            // optimiser state (Adam restarting takes a full-size first step) would change
            for (String k : new String[] {"policyLoss", "valueLoss", "entropy"}) {
                double x = ua.metrics().get(k);
                assertEquals(x, ub.metrics().get(k), 0.05 * (1e-3 + Math.abs(x)), k);
            }
            var pa = a.latestSnapshot().orElseThrow().parameters();
            var pb = b.latestSnapshot().orElseThrow().parameters();
            for (String name : pa.names()) {
                assertArrayEquals(pa.get(name).data(), pb.get(name).data(), 2e-3f, name);
            }
        }
    }
    static PpoConfig small(RecoveryStorage storage, int batch, int minibatch, int epochs) {
        return new PpoConfig(0.99, 0.95, 0.2, 0.01, epochs, batch, minibatch, 3e-3, 3e-3, 0.5, batch, storage, -20,
                true, 1);
    }

    /** {@code step} with the recovery policy acting instead: executed −0.9, the task proposal kept beside it. */
    static StepRecord overridden(StepRecord s, double reward) {
        return new StepRecord(s.observation(), new float[] {-0.9f}, s.proposedAction(), s.proposalLogProb(),
                s.policyVersion(), reward, s.nextObservation(), s.terminated(), s.truncated(), true, false);
    }

    /** A step of a continuing episode from {@code obs} to {@code next}, proposed by {@code pi}. */
    static StepRecord chainStep(JvmGaussianPolicy pi, float[] obs, float[] next, double reward, boolean terminated,
            boolean truncated) {
        PolicyAction a = pi.act(obs, false);
        return new StepRecord(obs, a.action(), a.action(), a.logProb(), a.policyVersion(), reward, next, terminated,
                truncated, false, false);
    }

    @Test
    void shouldStartEveryUpdateAtRatioOneWithTheNormalisationTheActingSnapshotUsed() {
        // observations far from the initial statistics: folding them in before the update would move π_θ away
        // from the snapshot that sampled the actions
        PpoConfig c = small(RecoveryStorage.MASKED, 256, 64, 2);
        Random rnd = new Random(11);
        try (NDManager m = NDManager.newBaseManager();
                GaussianPolicyModel init = GaussianPolicyModel.create(m, NET, new float[2], new float[] {1, 1}, 3);
                PpoLearner learner = new PpoLearner(m, init, c, 0)) {
            float[] meanBefore = learner.latestSnapshot().orElseThrow().parameters().get("norm.mean").data().clone();
            for (int u = 0; u < 2; u++) {
                JvmGaussianPolicy pi = JvmGaussianPolicy.fromSnapshot(learner.latestSnapshot().orElseThrow(), u);
                for (int i = 0; i < 256; i++) {
                    float[] obs = {(float) (6 + 0.5 * rnd.nextGaussian()), (float) (-4 + 0.5 * rnd.nextGaussian())};
                    PolicyAction a = pi.act(obs, false);
                    assertTrue(learner.offer(new StepRecord(obs, a.action(), a.action(), a.logProb(),
                            a.policyVersion(), -Math.abs(a.action()[0]), obs, true, false, false, false)));
                }
                LearnerUpdate up = learner.update();
                assertTrue(up.updated());
                Map<String, Double> mt = up.metrics();
                System.out.printf("update %d: first minibatch kl %.3g, clip %.3g, max |r-1| %.3g%n", u,
                        mt.get("firstMinibatchApproxKl"), mt.get("firstMinibatchClipFraction"),
                        mt.get("firstMinibatchMaxRatioDeviation"));
                assertEquals(0.0, mt.get("firstMinibatchApproxKl"), 1e-7, "update " + u);
                assertEquals(0.0, mt.get("firstMinibatchClipFraction"), 0.0, "update " + u);
                assertEquals(0.0, mt.get("firstMinibatchMaxRatioDeviation"), 1e-3, "update " + u);
            }
            // the batches did reach the running statistics, after the updates: the snapshot carries them
            float[] meanAfter = learner.latestSnapshot().orElseThrow().parameters().get("norm.mean").data();
            assertTrue(meanAfter[0] > meanBefore[0] + 0.1 && meanAfter[1] < meanBefore[1] - 0.1,
                    java.util.Arrays.toString(meanAfter));
        }
    }

    @Test
    void shouldLeaveThePolicyUntouchedButTrainTheValueOnMaskedOverriddenSteps() {
        PpoConfig c = small(RecoveryStorage.MASKED, 64, 16, 2);
        Random rnd = new Random(5);
        try (NDManager m = NDManager.newBaseManager();
                GaussianPolicyModel init = GaussianPolicyModel.create(m, NET, new float[2], new float[] {1, 1}, 3);
                PpoLearner learner = new PpoLearner(m, init, c, 0)) {
            var before = learner.latestSnapshot().orElseThrow().parameters();
            JvmGaussianPolicy pi = JvmGaussianPolicy.fromSnapshot(learner.latestSnapshot().orElseThrow(), 1);
            for (int i = 0; i < 64; i++) {
                assertTrue(learner.offer(overridden(banditStep(pi, rnd), 1 + rnd.nextDouble())));
            }
            LearnerUpdate up = learner.update();
            assertTrue(up.updated());
            assertEquals(64, up.samplesDropped());
            var after = learner.latestSnapshot().orElseThrow().parameters();
            boolean valueMoved = false;
            for (String name : before.names()) {
                if (name.startsWith("pi.") || name.equals("log_std")) {
                    assertArrayEquals(before.get(name).data(), after.get(name).data(), 0f, name);
                } else if (name.startsWith("v.")) {
                    valueMoved |= !java.util.Arrays.equals(before.get(name).data(), after.get(name).data());
                }
            }
            assertTrue(valueMoved, "the value network trains on overridden steps");
        }
    }

    @Test
    void shouldTrainOnTheProposalWithAPenalisedRewardWhenTheGateOverrode() {
        double penalty = 0.7;
        PpoConfig c = small(RecoveryStorage.PENALISED_PROPOSAL, 32, 16, 1).withOverridePenalty(penalty);
        Random rnd = new Random(6);
        try (NDManager m = NDManager.newBaseManager();
                GaussianPolicyModel init = GaussianPolicyModel.create(m, NET, new float[2], new float[] {1, 1}, 3);
                PpoLearner learner = new PpoLearner(m, init, c, 0)) {
            JvmGaussianPolicy pi = JvmGaussianPolicy.fromSnapshot(learner.latestSnapshot().orElseThrow(), 1);
            List<StepRecord> steps = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                StepRecord s = banditStep(pi, rnd);
                steps.add(i % 2 == 0 ? overridden(s, s.reward()) : s);
            }
            PpoLearner.Batch b = learner.prepare(steps);
            for (int i = 0; i < 32; i++) {
                StepRecord s = steps.get(i);
                double r = s.recoveryActed() ? s.reward() - penalty : s.reward();
                assertEquals(r, b.rewards()[i], 1e-12, "reward of step " + i);
                // every bandit step terminates: its GAE return is its reward
                assertEquals(r, b.returns()[i], 1e-5, "return of step " + i);
                assertEquals(1f, b.mask()[i], "step " + i + " is in the policy loss");
                assertEquals(s.proposedAction()[0], b.act()[i], 0f, "trained on the proposal");
                assertEquals((float) s.proposalLogProb(), b.oldLogp()[i], 0f, "with its recorded log-prob");
            }
        }
    }

    @Test
    void shouldStandardiseAdvantagesOverThePolicySamplesOnly() {
        PpoConfig c = small(RecoveryStorage.MASKED, 64, 16, 1);
        Random rnd = new Random(8);
        try (NDManager m = NDManager.newBaseManager();
                GaussianPolicyModel init = GaussianPolicyModel.create(m, NET, new float[2], new float[] {1, 1}, 3);
                PpoLearner learner = new PpoLearner(m, init, c, 0)) {
            JvmGaussianPolicy pi = JvmGaussianPolicy.fromSnapshot(learner.latestSnapshot().orElseThrow(), 1);
            List<StepRecord> steps = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                StepRecord s = banditStep(pi, rnd);
                // overridden steps with returns far beyond the task policy's own
                steps.add(i % 4 == 0 ? overridden(s, 1000 + 100 * rnd.nextGaussian()) : s);
            }
            PpoLearner.Batch b = learner.prepare(steps);
            double sum = 0;
            double sq = 0;
            int count = 0;
            for (int i = 0; i < 64; i++) {
                if (!steps.get(i).recoveryActed()) {
                    sum += b.advantages()[i];
                    sq += b.advantages()[i] * b.advantages()[i];
                    count++;
                }
            }
            double mean = sum / count;
            double sd = Math.sqrt(sq / count - mean * mean);
            assertEquals(0, mean, 1e-4, "mean advantage of the policy samples");
            assertEquals(1, sd, 1e-3, "standard deviation of the policy samples' advantages");
            for (int i = 0; i < 64; i++) {
                if (steps.get(i).recoveryActed()) {
                    assertEquals(0f, b.mask()[i]);
                    assertEquals(0f, b.advantages()[i], 0f, "masked step " + i);
                    assertTrue(b.returns()[i] > 500, "the value target keeps the overridden step's return");
                }
            }
        }
    }

    private static final double G = 0.99;
    private static final double L = 0.95;
    // five steps of one episode: r, V(s), V(s'); δ_t = r_t + γ V(s'_t) − V(s_t) = 0.698, 0.79, 1.297, −1.498, 1.393
    private static final double[] R = {1, 0, 2, -1, 0.5};
    private static final float[] V = {0.5f, 0.2f, 1.0f, 0.3f, -0.2f};
    private static final float[] V_NEXT = {0.2f, 1.0f, 0.3f, -0.2f, 0.7f};

    static float[] gae(boolean[] terminated, boolean[] continues) {
        float[] adv = new float[5];
        float[] ret = new float[5];
        PpoLearner.gae(R, V, V_NEXT, terminated, continues, G, L, adv, ret);
        for (int i = 0; i < 5; i++) {
            assertEquals(adv[i] + V[i], ret[i], 1e-6, "return = advantage + V");
        }
        return adv;
    }

    @Test
    void shouldComputeGaeWithLambdaAndBootstrapAFinalStepThatIsOnlyCut() {
        // the last step is truncated (or cut at the batch boundary): δ_4 bootstraps from V(s'_4) = 0.7
        // A_t = δ_t + γλ A_{t+1}, γλ = 0.9405
        float[] adv = gae(new boolean[5], new boolean[] {true, true, true, true, false});
        assertArrayEquals(new float[] {2.4319415f, 1.8436380f, 1.1202956f, -0.1878835f, 1.393f}, adv, 1e-5f);
    }

    @Test
    void shouldNotBootstrapATerminatedStep() {
        // δ_4 = 0.5 − (−0.2) = 0.7
        float[] adv = gae(new boolean[] {false, false, false, false, true},
                new boolean[] {true, true, true, true, false});
        assertArrayEquals(new float[] {1.8897304f, 1.2671243f, 0.5073092f, -0.83965f, 0.7f}, adv, 1e-5f);
    }

    @Test
    void shouldNeverRunGaeAcrossAnEpisodeBoundaryInsideTheBatch() {
        // episode 1 = steps 0..2, episode 2 = steps 3..4; A_3 and A_4 are those of the first test either way
        float[] truncated = gae(new boolean[5], new boolean[] {true, true, false, true, false});
        assertArrayEquals(new float[] {2.5882437f, 2.0098285f, 1.297f, -0.1878835f, 1.393f}, truncated, 1e-5f);
        float[] terminated = gae(new boolean[] {false, false, true, false, false},
                new boolean[] {true, true, false, true, false});
        assertArrayEquals(new float[] {2.3255353f, 1.7305f, 1.0f, -0.1878835f, 1.393f}, terminated, 1e-5f);
        // a "continues" flag on a terminated step cannot carry the next episode's advantage into it
        float[] guarded = gae(new boolean[] {false, false, true, false, false}, new boolean[] {true, true, true,
                true, true});
        assertArrayEquals(terminated, guarded, 0f);
    }

    @Test
    void shouldChainGaeOnlyAlongConsecutiveStepsOfOneEpisode() {
        PpoConfig c = small(RecoveryStorage.MASKED, 6, 3, 1);
        Random rnd = new Random(2);
        try (NDManager m = NDManager.newBaseManager();
                GaussianPolicyModel init = GaussianPolicyModel.create(m, NET, new float[2], new float[] {1, 1}, 3);
                PpoLearner learner = new PpoLearner(m, init, c, 0)) {
            JvmGaussianPolicy pi = JvmGaussianPolicy.fromSnapshot(learner.latestSnapshot().orElseThrow(), 1);
            float[][] s = new float[9][];
            for (int i = 0; i < s.length; i++) {
                s[i] = new float[] {(float) rnd.nextGaussian(), (float) rnd.nextGaussian()};
            }
            List<StepRecord> steps = List.of(
                    chainStep(pi, s[0], s[1], 1, false, false),
                    chainStep(pi, s[1], s[2], 0.5, false, false),
                    // terminated: episode boundary inside the batch, no bootstrap
                    chainStep(pi, s[2], s[3], 2, true, false),
                    // a new episode whose step before s[5] was lost (intake queue drop): the chain breaks here
                    chainStep(pi, s[4], s[5], -1, false, false),
                    chainStep(pi, s[6], s[7], 0.25, false, false),
                    // cut at the batch boundary, not done: bootstraps from V(s')
                    chainStep(pi, s[7], s[8], 0.75, false, false));
            PpoLearner.Batch b = learner.prepare(steps);
            float[] v = b.values();
            float[] vn = b.nextValues();
            double d0 = 1 + G * vn[0] - v[0];
            double d1 = 0.5 + G * vn[1] - v[1];
            double d2 = 2 - v[2];
            double d3 = -1 + G * vn[3] - v[3];
            double d4 = 0.25 + G * vn[4] - v[4];
            double d5 = 0.75 + G * vn[5] - v[5];
            double a5 = d5;
            double a4 = d4 + G * L * a5;
            double a3 = d3;
            double a2 = d2;
            double a1 = d1 + G * L * a2;
            double a0 = d0 + G * L * a1;
            double[] expected = {a0 + v[0], a1 + v[1], a2 + v[2], a3 + v[3], a4 + v[4], a5 + v[5]};
            for (int i = 0; i < 6; i++) {
                assertEquals(expected[i], b.returns()[i], 1e-5, "return of step " + i);
            }
        }
    }

    @Test
    void shouldStopTheSurrogateGradientOnceTheRatioLeavesTheClipRangeInTheAdvantagesDirection() {
        float eps = 0.2f;
        // ratio, advantage: above 1+ε with A>0 and below 1−ε with A<0 are clipped (no gradient); inside the range,
        // or outside it against the advantage (the pessimistic branch), the gradient is A
        float[] ratio = {1.3f, 1.05f, 0.7f, 0.95f, 1.3f, 0.7f};
        float[] adv = {1f, 1f, -1f, -1f, -1f, 1f};
        float[] expected = {0f, 1f, 0f, -1f, -1f, 1f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray r = m.create(ratio);
            r.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray surr = PpoLearner.clippedSurrogate(r, m.create(adv), eps);
                assertArrayEquals(new float[] {1.2f, 1.05f, -0.8f, -0.95f, -1.3f, 0.7f}, surr.toFloatArray(), 1e-6f);
                gc.backward(surr.sum());
            }
            assertArrayEquals(expected, r.getGradient().toFloatArray(), 0f);
        }
    }
}
