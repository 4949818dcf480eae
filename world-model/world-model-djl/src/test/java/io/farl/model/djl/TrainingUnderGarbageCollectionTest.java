package io.farl.model.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.farl.model.api.ActConfig;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.ProgressListener;
import io.farl.model.api.SupervisedConfig;
import io.farl.model.api.TrainingReport;
import io.farl.model.api.TransitionData;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Training does not depend on when the garbage collector runs. DJL's scalar overloads ({@code x.maximum(0f)},
 * {@code x.mul(0.5f)}) hand autograd a scalar in a direct buffer that nothing keeps alive; a collection between the
 * forward and the backward pass freed it, and the gradient was computed from reused memory ({@link NdArrays}). Each
 * training here runs once undisturbed and once while another thread asks for a collection every millisecond; the
 * per-epoch losses must agree bit for bit. Before the fix, the failure-aware ACT's loss stayed near 0.7 under
 * collections instead of falling to 0.03, and repeated trainings differed.
 */
class TrainingUnderGarbageCollectionTest {

    /** Runs {@code training} while a thread requests a collection every millisecond. */
    private static TrainingReport underCollections(Supplier<TrainingReport> training) throws InterruptedException {
        Thread collector = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gc-requests");
        collector.setDaemon(true);
        collector.start();
        try {
            return training.get();
        } finally {
            collector.interrupt();
            collector.join();
        }
    }

    private static double[] losses(TrainingReport r, String key) {
        return r.epochMetrics().stream().mapToDouble(m -> m.get(key)).toArray();
    }

    @Test
    void shouldCloneTheSameBehaviourWhileTheCollectorRuns() throws InterruptedException {
        TransitionData data = PointMass.dataset(5, 60, 60, 0).selectSources(EpisodeSource.EXPERT);
        PolicyNetworkConfig net = PolicyNetworkConfig.defaults(PointMass.OBS, PointMass.ACT).withHidden(128, 2);
        SupervisedConfig cfg = new SupervisedConfig(4, 64, 2e-3, 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Supplier<TrainingReport> bc = () -> {
                PolicyTrainer.Result r = PolicyTrainer.behaviourCloning(manager, data, net, cfg, ProgressListener.NONE);
                r.model().close();
                return r.report();
            };
            TrainingReport quiet = bc.get();
            TrainingReport busy = underCollections(bc);
            String key = quiet.epochMetrics().get(0).keySet().iterator().next();
            assertArrayEquals(losses(quiet, key), losses(busy, key), "behaviour cloning under collections");
        }
    }

    @Test
    void shouldTrainTheSameChunkingTransformerWhileTheCollectorRuns() throws InterruptedException {
        ActTrainer.Demos demos = demos();
        ActConfig c = new ActConfig(39, 4, 5, 64, 4, 1, 1, 128, 4, 5, 1.0, 0.01, 1.0, 3, 128, 1e-3, 201);
        double[] quiet = losses(ActTrainer.train(demos, c, ProgressListener.NONE).report(), "l1");
        double[] busy = losses(underCollections(() -> ActTrainer.train(demos, c, ProgressListener.NONE).report()),
                "l1");
        assertArrayEquals(quiet, busy, "failure-aware ACT under collections");
        assertTrue(quiet[quiet.length - 1] < 0.5 * quiet[0], "it learns: " + java.util.Arrays.toString(quiet));
    }

    /** 60 episodes of 40 steps; every third fails. Actions follow the episode's start, slowly drifting. */
    private static ActTrainer.Demos demos() {
        int eps = 60;
        int t = 40;
        int n = 39;
        int m = 4;
        Random r = new Random(5);
        TransitionData.Builder b = TransitionData.builder(n, m);
        int[] episodes = new int[eps];
        boolean[] success = new boolean[eps];
        for (int e = 0; e < eps; e++) {
            float[][] o = new float[t + 1][n];
            float[][] a = new float[t][m];
            float[] base = new float[n];
            for (int k = 0; k < n; k++) {
                base[k] = (float) r.nextGaussian();
            }
            for (int i = 0; i <= t; i++) {
                for (int k = 0; k < n; k++) {
                    o[i][k] = base[k] + 0.05f * i * (k % 3 - 1) + (float) (0.01 * r.nextGaussian());
                }
            }
            for (int i = 0; i < t; i++) {
                for (int k = 0; k < m; k++) {
                    a[i][k] = (float) Math.tanh(base[k] - 0.02 * i);
                }
            }
            boolean ok = e % 3 != 0;
            boolean[] fail = new boolean[t];
            fail[t - 1] = !ok;
            b.addEpisode(ok ? EpisodeSource.EXPERT : EpisodeSource.FAILURE, o, a, new float[t], fail, true);
            episodes[e] = e;
            success[e] = ok;
        }
        return new ActTrainer.Demos(b.build(), episodes, success);
    }
}
