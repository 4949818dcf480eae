package io.farl.controller.dataset;

import io.farl.robot.api.Field;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.IntFunction;

/** Seeded synthetic episodes that use every field of the format (shared with other modules' tests). */
public final class SyntheticEpisodes {

    public static final int OBS = 39;
    public static final int ACT = 4;

    private SyntheticEpisodes() {
    }

    /**
     * A file written by {@link DatasetWriter}.
     *
     * @param episodes what was written
     * @param ends     file size after each complete episode; {@code ends.get(0)} is the file header's end
     * @param bytes    the whole file
     */
    record Written(List<Episode> episodes, List<Long> ends, byte[] bytes) {
    }

    /** Writes {@code episode.apply(0 .. count - 1)} to a new {@code file}. */
    static Written write(Path file, int count, IntFunction<Episode> episode) throws IOException {
        List<Episode> episodes = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        try (DatasetWriter w = DatasetWriter.open(file)) {
            ends.add(Files.size(file));
            for (int i = 0; i < count; i++) {
                Episode e = episode.apply(i);
                w.append(e);
                episodes.add(e);
                ends.add(Files.size(file));
            }
        }
        return new Written(List.copyOf(episodes), List.copyOf(ends), Files.readAllBytes(file));
    }

    public static Episode.Header header(long index, long seed) {
        return new Episode.Header(index, "bounded-push", seed, Episode.Source.SCRIPTED, Episode.Kind.EXPERT, OBS, ACT,
                80_000_000L, List.of(new Episode.Shape(Episode.ShapeType.RECT, "boundary", 0, 0.6, 0.5, 0.4),
                        new Episode.Shape(Episode.ShapeType.CIRCLE, "target", 0.1, 0.7, 0.03, 0)),
                1_700_000_000_000L + index, "note " + index, "expert",
                List.of(new Field("hand_pos", 0, 3, "m"), new Field("rest", 3, OBS - 3, "1")),
                List.of(new Field("delta_pos", 0, 3, "1"), new Field("gripper", 3, 1, "1")));
    }

    /** Episode {@code index} with {@code steps} steps; every third episode fails at its middle step. */
    public static Episode episode(long index, int steps, long seed) {
        Random r = new Random(seed);
        List<Episode.Step> list = new ArrayList<>();
        boolean fails = index % 3 == 2;
        int failAt = steps / 2;
        double sum = 0;
        int failures = 0;
        double[] obs = vector(r, OBS);
        for (int i = 0; i < steps; i++) {
            double[] next = vector(r, OBS);
            double[] act = vector(r, ACT);
            boolean failure = fails && i >= failAt;
            double reward = r.nextGaussian();
            sum += reward;
            failures += failure ? 1 : 0;
            List<Episode.Intervention> interventions = i % 4 == 1
                    ? List.of(new Episode.Intervention("non_finite", 2, Double.NaN, 0.0),
                            new Episode.Intervention("action_bound", 0, 1.7, 1.0))
                    : List.of();
            list.add(new Episode.Step(i, 1_000L * i, obs, i % 5 == 0 ? new double[0] : vector(r, ACT), act, reward,
                    failure, !fails && i == steps - 1, i % 2 == 0 ? Episode.Mode.TASK : Episode.Mode.RECOVERY,
                    i % 3 == 0 ? OptionalDouble.of(r.nextDouble()) : OptionalDouble.empty(), interventions, index,
                    i % 2 == 1 ? OptionalDouble.of(-r.nextDouble()) : OptionalDouble.empty(), next,
                    i == steps - 1, false));
            obs = next;
        }
        Episode.Label label = fails ? Episode.Label.FAILURE : Episode.Label.SUCCESS;
        return new Episode(header(index, seed), list, new Episode.Footer(index, label, steps,
                fails && steps > 0 ? OptionalInt.of(failAt) : OptionalInt.empty(), sum, !fails, "", failures));
    }

    static double[] vector(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }
}
