/*
 * Does a DJL training repeat bit for bit? Trains the failure-aware ACT (the bench's network: model size 128, 4
 * heads, feed-forward 256, chunks of 5) on 120 synthetic demonstrations for EPOCHS epochs, RUNS times in this JVM,
 * optionally while another thread requests a garbage collection every 5 ms, and prints the per-epoch L1 loss of each
 * run. Start it several times to compare fresh JVMs (docs/RESULTS.md, "Training depended on when the garbage
 * collector ran"):
 *
 *   java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *     -cp 'launch/target/farl-launch.jar:launch/target/lib/*' scripts/experiments/TrainingRepeatability.java \
 *     EPOCHS RUNS [gc]
 *
 * Add -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xmx6g for a JVM that never collects.
 */
import io.farl.model.api.ActConfig;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.TransitionData;
import io.farl.model.djl.ActTrainer;
import java.util.Arrays;
import java.util.Random;

public class TrainingRepeatability {
    public static void main(String[] args) {
        int epochs = Integer.parseInt(args[0]);
        int runs = Integer.parseInt(args[1]);
        if (args.length > 2 && args[2].equals("gc")) {
            Thread gc = new Thread(() -> {
                while (true) {
                    System.gc();
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            gc.setDaemon(true);
            gc.start();
        }
        ActTrainer.Demos demos = demos();
        ActConfig c = new ActConfig(39, 4, 5, 128, 4, 1, 1, 256, 4, 5, 1.0, 0.01, 1.0, epochs, 256, 1e-3, 201);
        double[] first = null;
        for (int run = 0; run < runs; run++) {
            double[] l1 = ActTrainer.train(demos, c, (p, e, m) -> { }).report().epochMetrics().stream()
                    .mapToDouble(m -> m.get("l1")).toArray();
            System.out.println("run " + run + " L1 per epoch: " + Arrays.toString(l1)
                    + (first == null ? "" : Arrays.equals(first, l1) ? " (equals run 0)" : " (differs from run 0)"));
            first = first == null ? l1 : first;
        }
    }

    /** 120 episodes of 50 steps; every third fails. Actions follow the episode's start, slowly drifting. */
    static ActTrainer.Demos demos() {
        int eps = 120;
        int t = 50;
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
