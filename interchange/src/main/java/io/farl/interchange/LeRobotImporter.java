package io.farl.interchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.farl.controller.dataset.DatasetFormat;
import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
import io.farl.controller.dataset.InvalidRecordException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a LeRobotDataset-style layout ({@link LeRobotMeta}; CSV or Parquet tables) into one new dataset file,
 * {@code OUT/<task>-imported.farl}, written with {@link DatasetWriter}.
 *
 * <p>A layout farl exported (meta/info.json has a {@code farl} block) comes back as it went out: the episodes of
 * the requested task with their labels, header fields and every step field. A layout another tool wrote gives
 * every episode the requested task, source TELEOP, the requested kind, steps in mode HUMAN and the label the
 * options give, else one judged from {@code next.success} (success, else timeout); see {@link FrameMapping} for
 * the step fields it fills in. Images and videos are not read.
 *
 * <p>The file is written under a hidden name and renamed when complete; an existing file is never appended to.
 */
public final class LeRobotImporter {

    /**
     * @param task  task name of the imported episodes; of a farl export, only this task's episodes are imported
     * @param kind  kind of episodes whose layout does not say (other tools' layouts)
     * @param label label of episodes whose layout does not say; empty: judged from {@code next.success}
     */
    public record Options(String task, Episode.Kind kind, Optional<Episode.Label> label) {
        public Options {
            if (task == null || task.isBlank()) {
                throw new InterchangeInputException("the task of the imported episodes must not be blank");
            }
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(label, "label");
        }
    }

    /** What an import wrote. */
    public record Summary(Path file, TableFormat format, boolean farlLayout, long episodes, long frames,
            Map<Episode.Label, Long> labels) {
    }

    private final Options options;

    public LeRobotImporter(Options options) {
        this.options = options;
    }

    /**
     * Imports the layout at {@code from} into {@code outDir}.
     *
     * @throws InterchangeInputException naming the file (and row and column) of the first thing that does not fit
     */
    public Summary importLayout(Path from, Path outDir) throws IOException {
        Layout layout = Layout.of(readInfo(from));
        List<LeRobotMeta.EpisodeLine> lines = selected(layout.info(), JsonLines.read(from, LeRobotMeta.EPISODES,
                LeRobotMeta.EpisodeLine.class));
        Path file = outDir.resolve(options.task() + "-imported" + DatasetFormat.EXTENSION);
        Path staging = Staging.begin(file);
        long frames = 0;
        Map<Episode.Label, Long> labels = new EnumMap<>(Episode.Label.class);
        try {
            try (DatasetWriter writer = DatasetWriter.open(staging)) {
                for (LeRobotMeta.EpisodeLine line : lines) {
                    Episode e = episode(layout, line, rows(from, layout, line), writer.nextEpisodeIndex());
                    writer.append(e);
                    frames += e.length();
                    labels.merge(e.label(), 1L, Long::sum);
                }
            }
            Staging.commit(staging, file);
        } finally {
            Staging.abandon(staging);
        }
        return new Summary(file, layout.format(), layout.farl(), lines.size(), frames, labels);
    }

    /** What meta/info.json says about every table. */
    private record Layout(LeRobotMeta.Info info, TableFormat format, List<Column> columns, long periodNanos,
            int observationSize, int actionSize) {

        static Layout of(LeRobotMeta.Info info) {
            if (info.dataPath() == null || info.dataPath().isBlank()) {
                throw new InterchangeInputException(LeRobotMeta.INFO + ": has no data_path");
            }
            List<Column> columns = FrameColumns.fromFeatures(LeRobotMeta.INFO, info.features());
            return new Layout(info, TableFormat.ofFile(Path.of(info.dataPath())), columns, controlPeriodNanos(info),
                    size(columns, FrameColumns.OBSERVATION), size(columns, FrameColumns.ACTION));
        }

        boolean farl() {
            return info.farl() != null;
        }

        Path table(Path root, long episodeIndex) {
            return LeRobotMeta.dataFile(root, info.dataPath(), episodeIndex,
                    info.chunksSize() > 0 ? info.chunksSize() : LeRobotMeta.CHUNK_SIZE);
        }

        private static int size(List<Column> columns, String name) {
            return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().size();
        }
    }

    private static LeRobotMeta.Info readInfo(Path from) throws IOException {
        Path path = from.resolve(LeRobotMeta.INFO);
        try {
            LeRobotMeta.Info info = LeRobotMeta.JSON.readValue(Files.readString(path), LeRobotMeta.Info.class);
            if (info.farl() != null && info.farl().formatVersion() > LeRobotMeta.FARL_FORMAT_VERSION) {
                throw new InterchangeInputException(path + ": farl.format_version is " + info.farl().formatVersion()
                        + ", this build reads up to " + LeRobotMeta.FARL_FORMAT_VERSION);
            }
            return info;
        } catch (NoSuchFileException e) {
            throw new InterchangeInputException(path + " does not exist: " + from
                    + " is not a LeRobot-style dataset layout", e);
        } catch (JsonProcessingException e) {
            throw new InterchangeInputException(path + ": " + e.getOriginalMessage(), e);
        }
    }

    private static long controlPeriodNanos(LeRobotMeta.Info info) {
        if (info.farl() != null) {
            return info.farl().controlPeriodNanos();
        }
        if (info.fps() == null || !(info.fps().doubleValue() > 0)) {
            throw new InterchangeInputException(LeRobotMeta.INFO + ": fps is " + info.fps()
                    + ", expected a positive rate");
        }
        return Math.round(1e9 / info.fps().doubleValue());
    }

    /** The episodes to import: of a farl export those of the task, else all. */
    private List<LeRobotMeta.EpisodeLine> selected(LeRobotMeta.Info info, List<LeRobotMeta.EpisodeLine> lines) {
        if (info.farl() == null) {
            return lines;
        }
        List<LeRobotMeta.EpisodeLine> mine = lines.stream()
                .filter(l -> l.tasks() != null && l.tasks().contains(options.task())).toList();
        if (mine.isEmpty()) {
            throw new InterchangeInputException(LeRobotMeta.EPISODES + ": no episode of task '" + options.task()
                    + "'; tasks there: " + lines.stream().filter(l -> l.tasks() != null)
                    .flatMap(l -> l.tasks().stream()).distinct().toList());
        }
        return mine;
    }

    private static List<Row> rows(Path from, Layout layout, LeRobotMeta.EpisodeLine line) throws IOException {
        Path table = layout.table(from, line.episodeIndex());
        String name = from.relativize(table).toString();
        if (!Files.isRegularFile(table)) {
            throw new InterchangeInputException(name + " does not exist (episode " + line.episodeIndex() + " of "
                    + LeRobotMeta.EPISODES + ")");
        }
        List<Row> rows = layout.format().read(table, name, layout.columns());
        if (rows.size() != line.length()) {
            throw new InterchangeInputException(name + ": has " + rows.size() + " rows, " + LeRobotMeta.EPISODES
                    + " gives episode " + line.episodeIndex() + " length " + line.length());
        }
        return rows;
    }

    private Episode episode(Layout layout, LeRobotMeta.EpisodeLine line, List<Row> rows, long index) {
        boolean farl = layout.farl();
        LeRobotMeta.FarlInfo info = layout.info().farl();
        String where = LeRobotMeta.EPISODES + ": episode " + line.episodeIndex();
        List<Episode.Step> steps = FrameMapping.steps(rows, line.episodeIndex(), layout.periodNanos(),
                farl ? Episode.Mode.TASK : Episode.Mode.HUMAN);
        Episode.Kind kind = line.kind() == null ? options.kind() : parse(where, "kind", line.kind(),
                Episode.Kind.class);
        int firstFailure = -1;
        int failures = 0;
        double sum = 0;
        boolean reached = false;
        for (Episode.Step s : steps) {
            if (s.irFailure()) {
                firstFailure = firstFailure < 0 ? s.index() : firstFailure;
                failures++;
            }
            sum += s.reward();
            reached |= s.success();
        }
        Episode.Label label = line.label() != null ? parse(where, "label", line.label(), Episode.Label.class)
                : options.label().orElse(Episode.Label.judge(kind, reached, firstFailure >= 0));
        try {
            Episode.Header header = new Episode.Header(index, options.task(), line.seed() == null ? 0 : line.seed(),
                    line.source() == null ? Episode.Source.TELEOP : parse(where, "source", line.source(),
                            Episode.Source.class), kind, layout.observationSize(), layout.actionSize(), layout.periodNanos(),
                    line.layout() == null ? List.of() : line.layout(),
                    line.startedUnixMillis() == null ? 0 : line.startedUnixMillis(), line.operatorNote(),
                    line.actor(), farl ? info.observationLayout() : List.of(), farl ? info.actionLayout() : List.of());
            Episode.Footer footer = new Episode.Footer(index, label, steps.size(),
                    firstFailure < 0 ? OptionalInt.empty() : OptionalInt.of(firstFailure), line.episodeReturn() == null
                            ? sum : line.episodeReturn(), line.success() == null ? reached : line.success(),
                    line.footerNote(), failures);
            return new Episode(header, steps, footer);
        } catch (InvalidRecordException e) {
            throw new InterchangeInputException(where + ": " + e.getMessage(), e);
        }
    }

    private static <E extends Enum<E>> E parse(String where, String field, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InterchangeInputException(where + ": " + field + " '" + value + "' is not one of "
                    + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .toList());
        }
    }
}
