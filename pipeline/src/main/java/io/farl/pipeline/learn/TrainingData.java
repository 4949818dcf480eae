package io.farl.pipeline.learn;

import io.farl.pipeline.data.PolicyActor;
import io.farl.controller.dataset.DatasetFiles;
import io.farl.controller.dataset.DatasetFormat;
import io.farl.controller.dataset.DatasetFormatException;
import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.pipeline.PipelineInputException;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.TransitionData;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads recorded datasets (files or directories of them) and turns their complete episodes into the plain-array
 * {@link TransitionData} the learners consume. Only complete episodes are used; a torn tail is skipped by the
 * reader with a warning. Online (policy) episodes count as non-expert data, like failure demonstrations.
 */
public final class TrainingData {
    private static final String EXTENSION = DatasetFormat.EXTENSION;

    private TrainingData() {
    }

    /** Every dataset file under the given files or directories, sorted for a deterministic order. */
    public static List<Path> files(List<Path> inputs) {
        TreeSet<Path> out = new TreeSet<>();
        for (Path in : inputs) {
            try {
                out.addAll(DatasetFiles.under(in));
            } catch (NoSuchFileException e) {
                throw new PipelineInputException("no such dataset file or directory: " + in, e);
            } catch (IOException e) {
                throw new PipelineInputException("cannot list " + in + ": " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new PipelineInputException("no " + EXTENSION + " dataset files under " + inputs);
        }
        return new ArrayList<>(out);
    }

    /** All complete episodes of the given inputs, optionally only those of {@code task}. */
    public static List<Episode> episodes(List<Path> inputs, Optional<String> task) {
        List<Episode> all = new ArrayList<>();
        for (Path f : files(inputs)) {
            try (DatasetReader r = DatasetReader.open(f)) {
                for (Episode e : r) {
                    if (task.isEmpty() || task.get().equals(e.header().task())) {
                        all.add(e);
                    }
                }
            } catch (DatasetFormatException e) {
                throw new PipelineInputException(e.getMessage(), e);
            } catch (IOException e) {
                throw new PipelineInputException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        return all;
    }

    /** The demonstration episodes as transitions of the executed actions, sources from the episode kind. */
    public static TransitionData transitions(List<Episode> episodes) {
        return transitions(episodes, false);
    }

    /**
     * The demonstration episodes as transitions, sources from the episode kind.
     *
     * @param proposedLabels use the proposed action (what the demonstrator meant; differs from the executed one
     *                       when collection perturbed it) as the action of each transition: the label behaviour
     *                       cloning wants. Dynamics, values and critics need the executed action.
     */
    public static TransitionData transitions(List<Episode> episodes, boolean proposedLabels) {
        if (episodes.isEmpty()) {
            throw new PipelineInputException("no episodes to train on");
        }
        int obs = episodes.get(0).header().observationSize();
        int act = episodes.get(0).header().actionSize();
        TransitionData.Builder b = TransitionData.builder(obs, act);
        for (Episode e : episodes) {
            if (e.header().observationSize() != obs || e.header().actionSize() != act) {
                throw new PipelineInputException("episode " + e.index() + " of task " + e.header().task() + " has sizes "
                        + e.header().observationSize() + "/" + e.header().actionSize() + ", others " + obs + "/" + act);
            }
            Optional<EpisodeSource> source = source(e.header().kind());
            if (source.isEmpty() || e.length() == 0) {
                continue;
            }
            int t = e.length();
            float[][] o = new float[t + 1][];
            float[][] a = new float[t][];
            float[] r = new float[t];
            boolean[] c = new boolean[t];
            boolean terminated = false;
            for (int i = 0; i < t; i++) {
                Episode.Step s = e.steps().get(i);
                o[i] = PolicyActor.toFloat(s.observation());
                a[i] = clampUnit(PolicyActor.toFloat(proposedLabels ? s.proposedAction() : s.executedAction()));
                r[i] = (float) s.reward();
                c[i] = s.irFailure();
                if (i == t - 1) {
                    o[t] = PolicyActor.toFloat(s.nextObservation());
                    terminated = s.terminated();
                }
            }
            b.addEpisode(source.get(), o, a, r, c, terminated);
        }
        return b.build();
    }

    static Optional<EpisodeSource> source(Episode.Kind kind) {
        return switch (kind) {
            case EXPERT -> Optional.of(EpisodeSource.EXPERT);
            case FAILURE -> Optional.of(EpisodeSource.FAILURE);
            case RECOVERY -> Optional.of(EpisodeSource.RECOVERY);
            // a policy's own episodes: non-expert data whose failures the world model and critics learn from;
            // behaviour cloning never sees them
            case ONLINE -> Optional.of(EpisodeSource.POLICY);
        };
    }

    /** Executed actions are already inside the envelope; float rounding may put 1.0 a hair above 1. */
    private static float[] clampUnit(float[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.max(-1f, Math.min(1f, a[i]));
        }
        return a;
    }
}
