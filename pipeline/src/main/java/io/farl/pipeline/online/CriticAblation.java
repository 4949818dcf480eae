package io.farl.pipeline.online;

import io.farl.pipeline.PipelineInputException;
import io.farl.pipeline.learn.Pretraining;
import io.farl.pipeline.learn.TrainingData;
import io.farl.model.djl.SafetyCritic;
import io.farl.model.api.Calibration;
import io.farl.model.api.CalibrationPoint;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.TransitionData;
import io.farl.robot.sim.TaskId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Trains the model-free {@link SafetyCritic} (DJL) on the init directory's offline data (expert + failure episodes, the
 * world model's data) and calibrates its threshold like the world model's: event recall ≥ 0.95 on held-out
 * episodes with the fewest false alarms.
 */
public final class CriticAblation {
    static final double GAMMA = 0.95;

    /** A trained critic and its calibrated threshold. */
    public record Critic(SafetyCritic model, double epsilonSafe, CalibrationPoint calibration) {
    }

    private CriticAblation() {
    }

    public static Critic train(TaskId task, Path init, int hidden, int epochs, long seed) {
        Path data = init.resolve("data");
        if (!Files.isDirectory(data)) {
            throw new PipelineInputException("the critic ablation needs the offline data under " + data);
        }
        TransitionData all = TrainingData.transitions(TrainingData.episodes(List.of(data),
                Optional.of(task.cliName()))).selectSources(EpisodeSource.EXPERT, EpisodeSource.FAILURE,
                        EpisodeSource.POLICY);
        TransitionData.Split split = all.splitEpisodes(0.2, seed);
        // DJL training: on the DJL thread, whichever thread runs the benchmark job
        SafetyCritic critic = DjlThread.call(() -> SafetyCritic.train(split.train(), hidden, epochs, GAMMA, seed));
        TransitionData held = split.heldOut();
        double[] scores = new double[held.size()];
        int obsN = held.observationSize();
        int actN = held.actionSize();
        float[] o = new float[obsN];
        float[] a = new float[actN];
        for (int i = 0; i < scores.length; i++) {
            System.arraycopy(held.observations(), i * obsN, o, 0, obsN);
            System.arraycopy(held.actions(), i * actN, a, 0, actN);
            scores[i] = critic.cost(o, a);
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        List<CalibrationPoint> points = new ArrayList<>();
        for (int q = 1; q < 100; q++) {
            double eps = sorted[Math.min(sorted.length - 1, (int) (q / 100.0 * sorted.length))];
            if (eps > 0) {
                points.add(Calibration.evaluate(scores, held, Pretraining.WINDOW_STEPS, Pretraining.MIN_LEAD_STEPS, 0, 1.0,
                        eps));
            }
        }
        if (points.isEmpty()) {
            points.add(Calibration.evaluate(scores, held, Pretraining.WINDOW_STEPS, Pretraining.MIN_LEAD_STEPS, 0, 1.0,
                    1e-6));
        }
        CalibrationPoint p = Calibration.pickForRecall(points, Pretraining.TARGET_RECALL).orElseGet(() -> points
                .stream().max((x, y) -> Double.compare(x.eventRecall(), y.eventRecall())).orElseThrow());
        return new Critic(critic, p.epsilonSafe(), p);
    }
}
