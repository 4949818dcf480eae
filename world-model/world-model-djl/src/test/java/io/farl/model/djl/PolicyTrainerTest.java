package io.farl.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.OfflineImprovementConfig;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicyAction;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.ProgressListener;
import io.farl.model.api.SupervisedConfig;
import io.farl.model.api.TransitionData;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NdLeakCheck.class)
class PolicyTrainerTest {
    static NDManager manager;
    static TransitionData data;
    static PolicyTrainer.Result bc;

    static PolicyNetworkConfig net() {
        return PolicyNetworkConfig.defaults(PointMass.OBS, PointMass.ACT).withHidden(64, 2);
    }

    @BeforeAll
    static void cloneExperts() {
        manager = NDManager.newBaseManager();
        data = PointMass.dataset(21, 100, 60, 0);
        bc = PolicyTrainer.behaviourCloning(manager, data.selectSources(EpisodeSource.EXPERT), net(),
                new SupervisedConfig(15, 128, 2e-3, 3), ProgressListener.NONE);
        TransitionData experts = data.selectSources(EpisodeSource.EXPERT);
        int done = 0;
        for (int e = 0; e < experts.episodeCount(); e++) {
            done += experts.terminals()[experts.episodeEnd(e) - 1] ? 1 : 0;
        }
        System.out.printf("experts reaching the goal: %d/%d%n", done, experts.episodeCount());
        System.out.printf("bc: %s, %.0f samples/s%n", bc.report().lastEpoch(), bc.report().samplesPerSecond());
    }

    @AfterAll
    static void release() {
        bc.model().close();
        manager.close();
    }

    /** Success and hazard rates of deterministic rollouts: {success, failure}. */
    static double[] rollouts(Policy policy, int episodes, long seed) {
        Random rnd = new Random(seed);
        int success = 0;
        int failure = 0;
        for (int e = 0; e < episodes; e++) {
            float[] s = {-0.8f + 0.05f * (float) rnd.nextGaussian(), 0.3f * (float) (rnd.nextDouble() * 2 - 1), 0, 0};
            float gx = 0.8f + 0.1f * (float) rnd.nextGaussian();
            float gy = 0.3f * (float) (rnd.nextDouble() * 2 - 1);
            for (int t = 0; t < PointMass.MAX_STEPS; t++) {
                PolicyAction a = policy.act(PointMass.observe(s, gx, gy), true);
                PointMass.step(s, a.action());
                if (PointMass.inHazard(s[0], s[1])) {
                    failure++;
                    break;
                }
                if (Math.hypot(s[0] - gx, s[1] - gy) < 0.1) {
                    success++;
                    break;
                }
            }
        }
        return new double[] {(double) success / episodes, (double) failure / episodes};
    }

    @Test
    void shouldImitateTheExpert() {
        double[] r = rollouts(new DjlPolicy(bc.model(), 1, 1), 30, 99);
        System.out.printf("bc rollouts: success %.2f, hazard %.2f%n", r[0], r[1]);
        assertTrue(bc.report().lastEpoch().get("nll") < bc.report().epochMetrics().get(0).get("nll"));
        assertTrue(r[0] >= 0.5, "success " + r[0]);
        assertTrue(r[1] <= 0.2, "hazard " + r[1]);
    }

    @Test
    void shouldImproveTheOffPolicyEstimateWithoutLosingTheTask() {
        OfflineImprovementConfig cfg = new OfflineImprovementConfig(0.99, new SupervisedConfig(4, 256, 1e-3, 5), 0.01,
                200, 256, 0.25, 0.96, 1e-4, 50, 5);
        PolicyTrainer.Result improved = PolicyTrainer.offlineImprove(manager, bc.model(), data, cfg,
                ProgressListener.NONE);
        try (GaussianPolicyModel m = improved.model()) {
            Map<String, Double> held = improved.report().heldOutMetrics();
            double[] r = rollouts(new DjlPolicy(m, 2, 1), 30, 99);
            System.out.printf("offline improvement: %s, %.0f samples/s; rollouts success %.2f hazard %.2f%n", held,
                    improved.report().samplesPerSecond(), r[0], r[1]);
            // (the improvement itself is checked on a bandit below; this only guards the task)
            assertTrue(r[1] <= 0.2, "hazard " + r[1]);
        }
    }

    @Test
    void shouldRoundTripPolicyDirectoriesAndSnapshots(@TempDir Path dir) {
        Path v = bc.model().save(dir, Map.of());
        float[] obs = {-0.5f, 0.1f, 0.01f, 0, 0.8f, 0.1f};
        try (GaussianPolicyModel loaded = GaussianPolicyModel.load(manager, v);
                GaussianPolicyModel fromSnapshot = GaussianPolicyModel.fromSnapshot(manager, bc.model().snapshot(4))) {
            float[] a = new DjlPolicy(bc.model(), 1, 0).act(obs, true).action();
            assertEquals(a[0], new DjlPolicy(loaded, 1, 0).act(obs, true).action()[0], 0f);
            assertEquals(a[1], new DjlPolicy(fromSnapshot, 1, 0).act(obs, true).action()[1], 0f);
        }
    }

    @Test
    void shouldReportConsistentLogProbabilities() {
        DjlPolicy p = new DjlPolicy(bc.model(), 1, 5);
        float[] obs = {-0.5f, 0.1f, 0.01f, 0, 0.8f, 0.1f};
        PolicyAction sampled = p.act(obs, false);
        assertEquals(sampled.logProb(), p.logProb(obs, sampled.action()), 1e-3);
    }
    /** One-step episodes from one state: actions around +0.5 earn 1, actions around −0.5 earn 0. */
    static TransitionData bandit(int episodes, long seed) {
        Random rnd = new Random(seed);
        TransitionData.Builder b = TransitionData.builder(1, 1);
        for (int i = 0; i < episodes; i++) {
            float a = (float) ((i % 2 == 0 ? 1 : -1) * (0.5 + 0.1 * rnd.nextGaussian()));
            b.addEpisode(EpisodeSource.EXPERT, new float[][] {{0}, {0}}, new float[][] {{a}},
                    new float[] {a > 0 ? 1 : 0}, new boolean[] {false}, true);
        }
        return b.build();
    }

    @Test
    void shouldMoveTheMeanActionTowardsTheRewardedActionBeyondBehaviourCloning() {
        TransitionData d = bandit(256, 4);
        PolicyNetworkConfig net = PolicyNetworkConfig.defaults(1, 1).withHidden(16, 2);
        PolicyTrainer.Result cloned = PolicyTrainer.behaviourCloning(manager, d, net,
                new SupervisedConfig(15, 128, 3e-3, 1), ProgressListener.NONE);
        OfflineImprovementConfig cfg = new OfflineImprovementConfig(0.99, new SupervisedConfig(15, 128, 5e-3, 2),
                0.05, 120, 128, 0.2, 0.96, 5e-3, 20, 3);
        try (GaussianPolicyModel bcModel = cloned.model();
                GaussianPolicyModel improved = PolicyTrainer.offlineImprove(manager, bcModel, d, cfg,
                        ProgressListener.NONE).model()) {
            float[] s = {0};
            double bcMean = new DjlPolicy(bcModel, 1, 1).act(s, true).action()[0];
            double improvedMean = new DjlPolicy(improved, 2, 1).act(s, true).action()[0];
            System.out.printf("bandit: mean action after bc %.3f, after offline improvement %.3f%n", bcMean,
                    improvedMean);
            assertTrue(Math.abs(bcMean) < 0.2, "behaviour cloning averages the two modes: " + bcMean);
            assertTrue(improvedMean > bcMean + 0.25, "improvement moves towards the rewarded +0.5: " + bcMean + " -> "
                    + improvedMean);
        }
    }
}
