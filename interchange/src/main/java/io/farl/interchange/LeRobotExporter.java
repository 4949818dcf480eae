package io.farl.interchange;

import io.farl.controller.dataset.DatasetFiles;
import io.farl.controller.dataset.DatasetFormat;
import io.farl.controller.dataset.DatasetFormatException;
import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the complete episodes of every {@code *.farl} file under a folder as one LeRobotDataset-style layout
 * ({@link LeRobotMeta}): one table per episode, numbered over all files in path order, then the meta files. Every
 * episode must share observation and action sizes, layouts and control period (one {@code fps}, one feature
 * shape); a file that breaks this is named in the error. Torn tails are skipped by the reader with a warning.
 *
 * <p>The layout is built in a hidden sibling folder and renamed into place when complete, so a failed export
 * leaves nothing that looks finished. Single-threaded; one instance per export.
 */
public final class LeRobotExporter {

    /** What an export wrote. */
    public record Summary(Path out, TableFormat format, int files, long episodes, long frames,
            Map<String, Long> episodesPerTask) {
    }

    private final TableFormat format;
    private final Map<String, Long> tasks = new LinkedHashMap<>();
    private final List<LeRobotMeta.EpisodeLine> lines = new ArrayList<>();
    private Episode.Header first;
    private List<Column> columns;
    private long frames;

    public LeRobotExporter(TableFormat format) {
        this.format = format;
    }

    /**
     * Exports every dataset file under {@code data} into the new folder {@code out}.
     *
     * @throws InterchangeInputException when there is nothing to export, {@code out} exists and is not an empty
     *                                   folder, a file is damaged, or episodes do not fit one layout
     */
    public Summary export(Path data, Path out) throws IOException {
        List<Path> files = datasetFiles(data);
        Path staging = Staging.begin(out);
        try {
            for (Path file : files) {
                exportFile(data, file, staging);
            }
            if (first == null) {
                throw new InterchangeInputException("no complete episodes in the " + files.size() + " *"
                        + DatasetFormat.EXTENSION + " files under " + data);
            }
            writeMeta(staging);
            Staging.commit(staging, out);
        } finally {
            Staging.abandon(staging);
        }
        Map<String, Long> perTask = new LinkedHashMap<>();
        lines.forEach(l -> perTask.merge(l.tasks().get(0), 1L, Long::sum));
        return new Summary(out, format, files.size(), lines.size(), frames, perTask);
    }

    private static List<Path> datasetFiles(Path data) throws IOException {
        List<Path> files;
        try {
            files = DatasetFiles.under(data);
        } catch (NoSuchFileException e) {
            throw new InterchangeInputException(data + " does not exist", e);
        }
        if (files.isEmpty()) {
            throw new InterchangeInputException("no *" + DatasetFormat.EXTENSION + " files under " + data);
        }
        return files;
    }

    private void exportFile(Path data, Path file, Path staging) throws IOException {
        String name = Files.isDirectory(data) ? data.relativize(file).toString() : file.getFileName().toString();
        try (DatasetReader reader = DatasetReader.open(file)) {
            for (Episode e : reader) {
                requireSameLayout(file, e);
                exportEpisode(staging, name, e);
            }
        } catch (DatasetFormatException e) {
            throw new InterchangeInputException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void requireSameLayout(Path file, Episode e) {
        Episode.Header h = e.header();
        if (first == null) {
            first = h;
            columns = FrameColumns.of(h.observationSize(), h.actionSize());
            return;
        }
        String differs = h.observationSize() != first.observationSize() ? "observation size " + h.observationSize()
                : h.actionSize() != first.actionSize() ? "action size " + h.actionSize()
                : h.controlPeriodNanos() != first.controlPeriodNanos() ? "control period " + h.controlPeriodNanos()
                        + " ns"
                : !h.observationLayout().equals(first.observationLayout()) ? "observation layout"
                : !h.actionLayout().equals(first.actionLayout()) ? "action layout" : null;
        if (differs != null) {
            throw new InterchangeInputException(file + ": episode " + h.index() + " has another " + differs
                    + " than the first episode exported (task " + first.task() + "); one layout holds one "
                    + "observation/action shape and rate: export these files separately");
        }
    }

    private void exportEpisode(Path staging, String sourceName, Episode e) throws IOException {
        long episodeIndex = lines.size();
        long taskIndex = tasks.computeIfAbsent(e.header().task(), t -> (long) tasks.size());
        Path table = LeRobotMeta.dataFile(staging, LeRobotMeta.dataPath(format.extension()), episodeIndex,
                LeRobotMeta.CHUNK_SIZE);
        Files.createDirectories(table.getParent());
        long firstStamp = e.steps().isEmpty() ? 0 : e.steps().get(0).stampNanos();
        try (TableFormat.RowWriter w = format.create(table, columns)) {
            for (Episode.Step s : e.steps()) {
                w.write(FrameMapping.cells(columns, s, new FrameMapping.Position(episodeIndex, frames, taskIndex,
                        firstStamp)));
                frames++;
            }
        }
        lines.add(episodeLine(episodeIndex, sourceName, e));
    }

    private static LeRobotMeta.EpisodeLine episodeLine(long episodeIndex, String sourceName, Episode e) {
        Episode.Header h = e.header();
        Episode.Footer f = e.footer();
        return new LeRobotMeta.EpisodeLine(episodeIndex, List.of(h.task()), e.length(), lower(f.label()),
                f.success(), f.failureStep().isPresent() ? f.failureStep().getAsInt() : null, f.failureSteps(),
                f.episodeReturn(), h.seed(), lower(h.source()), lower(h.kind()), h.actor(), h.operatorNote(),
                f.operatorNote(), h.startedUnixMillis(), h.layout(), sourceName, h.index());
    }

    private void writeMeta(Path staging) throws IOException {
        long period = first.controlPeriodNanos();
        Number fps = 1_000_000_000L % period == 0 ? (Number) (1_000_000_000L / period) : (Number) (1e9 / period);
        LeRobotMeta.FarlInfo farl = new LeRobotMeta.FarlInfo(LeRobotMeta.FARL_FORMAT_VERSION, format.extension(),
                period, first.observationLayout(), first.actionLayout(), format == TableFormat.CSV
                        ? "a vector column v of size n is the n columns v.0 ... v.(n-1)" : "LIST columns of float64");
        long chunks = (lines.size() + LeRobotMeta.CHUNK_SIZE - 1) / LeRobotMeta.CHUNK_SIZE;
        LeRobotMeta.Info info = new LeRobotMeta.Info(LeRobotMeta.CODEBASE_VERSION, null, lines.size(), frames,
                tasks.size(), 0, chunks, LeRobotMeta.CHUNK_SIZE, fps, Map.of("train", "0:" + lines.size()),
                LeRobotMeta.dataPath(format.extension()), null,
                FrameColumns.features(columns, first.observationLayout(), first.actionLayout()), farl);
        Files.createDirectories(staging.resolve("meta"));
        LeRobotMeta.JSON.writerWithDefaultPrettyPrinter().writeValue(staging.resolve(LeRobotMeta.INFO).toFile(),
                info);
        List<LeRobotMeta.TaskLine> taskLines = new ArrayList<>();
        tasks.forEach((task, index) -> taskLines.add(new LeRobotMeta.TaskLine(index, task)));
        JsonLines.write(staging.resolve(LeRobotMeta.TASKS), taskLines);
        JsonLines.write(staging.resolve(LeRobotMeta.EPISODES), lines);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
