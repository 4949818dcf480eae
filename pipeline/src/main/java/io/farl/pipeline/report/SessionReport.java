package io.farl.pipeline.report;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.session.SessionEvent;
import io.farl.pipeline.Json;
import io.farl.pipeline.PipelineInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The end-of-session report of a supervised fine-tuning session: reads the session's dataset (every executed step)
 * and its operator events, and writes into one folder
 * <pre>
 * episodes.png       success and IR failures per episode with rolling rates, policy version, operator events
 * interventions.png  steps by mode, recovery activations and envelope interventions per episode
 * ch-trace.png       C_H of the last {@link SessionTally#TRACE_STEPS} steps against ε_safe, overrides shaded
 * report.html        one self-contained page: figures, event table, the three plots, per-episode table
 * report.json        the {@link Summary}
 * </pre>
 * A dataset without episodes gives a page that says nothing was recorded, and no plots. Offline work (file I/O and
 * chart rendering): never call it from a control thread.
 */
public final class SessionReport {
    /** Episodes of the rolling success and IR-failure rates. */
    public static final int WINDOW = 20;
    /** Newest episodes listed in the page's per-episode table. */
    public static final int TABLE_EPISODES = 200;
    /** Newest operator events listed in the page's event table. */
    public static final int TABLE_EVENTS = 500;

    static final String EPISODES_PNG = "episodes.png";
    static final String INTERVENTIONS_PNG = "interventions.png";
    static final String CH_TRACE_PNG = "ch-trace.png";
    static final String HTML = "report.html";
    static final String JSON = "report.json";

    private SessionReport() {
    }

    /**
     * The session's figures, written as {@code report.json}.
     *
     * @param dataset                the dataset file read
     * @param episodes               complete episodes read
     * @param steps                  executed steps of those episodes
     * @param success                episodes labelled SUCCESS, of all episodes
     * @param irFailure              episodes with at least one step with C = 1, of all episodes
     * @param irFailureSteps         steps with C = 1
     * @param envelopeInterventions  envelope interventions (one per limit that acted on a step)
     * @param recoveryActivations    entries into RECOVERY mode
     * @param recoverySteps          steps in RECOVERY mode
     * @param holdSteps              steps in HOLD mode
     * @param humanSteps             steps in HUMAN mode
     * @param stoppedSteps           steps in STOPPED mode
     * @param overrideSteps          steps whose mode was not TASK
     * @param overrideRate           {@code overrideSteps / steps}, 0 without steps
     * @param policyVersions         the distinct policy versions recorded on the steps, ascending
     * @param epsilonSafe            the gate's threshold used for the plot and count, null when unknown
     * @param failureCostSteps       steps that recorded a C_H
     * @param stepsAboveEpsilon      of those, steps whose C_H exceeded ε_safe (0 when it is unknown)
     * @param skippedDamagedEpisodes episodes the reader skipped as damaged (not counted anywhere else)
     * @param tornTailBytes          bytes after the last complete episode that the reader left out
     * @param events                 the operator events, in log order
     * @param episodeRows            one row per episode, in dataset order
     * @param files                  names of the files written in the report folder
     */
    public record Summary(String dataset, long episodes, long steps, Proportion success, Proportion irFailure,
            long irFailureSteps, long envelopeInterventions, long recoveryActivations, long recoverySteps,
            long holdSteps, long humanSteps, long stoppedSteps, long overrideSteps, double overrideRate,
            List<Long> policyVersions, Double epsilonSafe, long failureCostSteps, long stepsAboveEpsilon,
            long skippedDamagedEpisodes, long tornTailBytes, List<SessionEvent> events, List<EpisodeRow> episodeRows,
            List<String> files) {
        public Summary {
            policyVersions = List.copyOf(policyVersions);
            events = List.copyOf(events);
            episodeRows = List.copyOf(episodeRows);
            files = List.copyOf(files);
        }
    }

    /**
     * Reads {@code datasetFile} and writes the report into {@code outDir} (created when missing; files of an
     * earlier report there are replaced).
     *
     * @param events      the session's operator events (empty when there is no event log)
     * @param epsilonSafe the gate's threshold, > 0, or NaN when unknown (no line drawn, said in the page)
     * @throws PipelineInputException when the dataset file does not exist
     * @throws io.farl.controller.dataset.DatasetFormatException when the reader refuses the file
     */
    public static Summary write(Path datasetFile, List<SessionEvent> events, double epsilonSafe, Path outDir)
            throws IOException {
        if (!Double.isNaN(epsilonSafe) && !(epsilonSafe > 0 && Double.isFinite(epsilonSafe))) {
            throw new IllegalArgumentException("epsilonSafe must be > 0 and finite, or NaN, got " + epsilonSafe);
        }
        SessionTally tally = new SessionTally(epsilonSafe);
        long skipped;
        long tornTail;
        try (DatasetReader reader = DatasetReader.open(datasetFile)) {
            reader.drain(tally::add);
            skipped = reader.skipped().stream().mapToLong(DatasetReader.Skipped::episodes).sum();
            tornTail = reader.tornTail().map(DatasetReader.TornTail::length).orElse(0L);
        } catch (NoSuchFileException e) {
            throw new PipelineInputException("no dataset file " + datasetFile, e);
        }
        Files.createDirectories(outDir);
        List<EpisodeRow> rows = tally.rows();
        Map<String, byte[]> images = rows.isEmpty() ? Map.of()
                : ReportCharts.write(outDir, rows, tally.trace(), events, epsilonSafe);
        List<String> files = new ArrayList<>(images.keySet());
        files.add(HTML);
        files.add(JSON);
        Summary summary = summarise(datasetFile, tally, epsilonSafe, skipped, tornTail, events, files);
        ReportPage.write(outDir.resolve(HTML), summary, images);
        Json.write(outDir.resolve(JSON), summary);
        return summary;
    }

    private static Summary summarise(Path datasetFile, SessionTally tally, double epsilonSafe, long skipped,
            long tornTail, List<SessionEvent> events, List<String> files) {
        List<EpisodeRow> rows = tally.rows();
        long successes = rows.stream().filter(EpisodeRow::success).count();
        long irFailures = rows.stream().filter(EpisodeRow::irFailure).count();
        long override = sum(rows, EpisodeRow::overrideSteps);
        long steps = tally.steps();
        return new Summary(datasetFile.toString(), rows.size(), steps, Proportion.of(successes, rows.size()),
                Proportion.of(irFailures, rows.size()), sum(rows, EpisodeRow::irFailureSteps),
                sum(rows, EpisodeRow::interventions), sum(rows, EpisodeRow::recoveryActivations),
                sum(rows, EpisodeRow::recoverySteps), sum(rows, EpisodeRow::holdSteps),
                sum(rows, EpisodeRow::humanSteps), sum(rows, EpisodeRow::stoppedSteps), override,
                steps > 0 ? (double) override / steps : 0, tally.policyVersions(),
                Double.isNaN(epsilonSafe) ? null : epsilonSafe, tally.failureCostSteps(), tally.stepsAboveEpsilon(),
                skipped, tornTail, events, rows, files);
    }

    private static long sum(List<EpisodeRow> rows, java.util.function.ToIntFunction<EpisodeRow> f) {
        return rows.stream().mapToLong(f::applyAsInt).sum();
    }
}
