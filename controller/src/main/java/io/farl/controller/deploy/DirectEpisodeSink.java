package io.farl.controller.deploy;

import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
import io.farl.controller.dataset.EpisodeRecorder;
import io.farl.robot.api.RobotDescription;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each step as it comes (kind ONLINE, source POLICY) and each episode's footer at its end, labelled from the
 * robot's report. A write error is logged once and ends recording; later calls are ignored.
 */
public final class DirectEpisodeSink implements EpisodeSink {
    private static final Logger LOG = LoggerFactory.getLogger(DirectEpisodeSink.class);

    private final DatasetWriter writer;
    private final RobotDescription description;
    private final String task;
    private final long firstSeed;
    private final String actor;
    private EpisodeRecorder episode;
    private long episodesEnded;
    private long episodesWritten;
    private long stepsWritten;
    private boolean broken;

    /**
     * @param writer      the open dataset (appended to after its last complete episode)
     * @param description the robot's description (observation and action layouts)
     * @param task        task name for the headers
     * @param firstSeed   layout seed of the run's first episode; episode k is recorded with {@code firstSeed + k}
     * @param actor       what drove the robot (models, gate threshold), for the headers
     */
    public DirectEpisodeSink(DatasetWriter writer, RobotDescription description, String task, long firstSeed,
            String actor) {
        this.writer = writer;
        this.description = description;
        this.task = task;
        this.firstSeed = firstSeed;
        this.actor = actor;
    }

    @Override
    public void step(Episode.Step step) {
        if (broken) {
            return;
        }
        try {
            if (episode == null) {
                episode = EpisodeRecorder.begin(writer, new Episode.Header(writer.nextEpisodeIndex(), task,
                        firstSeed + episodesEnded, Episode.Source.POLICY, Episode.Kind.ONLINE,
                        description.observationSize(), description.actionSize(), description.controlPeriodNanos(),
                        List.of(), System.currentTimeMillis(), "", actor, description.observationLayout(),
                        description.actionLayout()));
            }
            episode.step(step);
            stepsWritten++;
        } catch (IOException | RuntimeException ex) {
            fail(ex);
        }
    }

    @Override
    public void end(boolean success, boolean irFailure, boolean truncated) {
        episodesEnded++;
        EpisodeRecorder e = episode;
        episode = null;
        if (broken || e == null) {
            return;
        }
        Episode.Label label = truncated ? Episode.Label.TIMEOUT : irFailure ? Episode.Label.FAILURE
                : success ? Episode.Label.SUCCESS : Episode.Label.TIMEOUT;
        try {
            e.finish(label, truncated ? "run ended during the episode" : "");
            episodesWritten++;
        } catch (IOException | RuntimeException ex) {
            fail(ex);
        }
    }

    @Override
    public long episodesWritten() {
        return episodesWritten;
    }

    @Override
    public long stepsWritten() {
        return stepsWritten;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    private void fail(Exception ex) {
        if (!broken) {
            LOG.error("recording stopped after {} episodes: {}", episodesWritten, ex.toString());
        }
        broken = true;
    }
}
