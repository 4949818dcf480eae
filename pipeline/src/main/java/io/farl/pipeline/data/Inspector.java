package io.farl.pipeline.data;

import io.farl.controller.dataset.DatasetFormat;
import io.farl.controller.dataset.DatasetFormatException;
import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.pipeline.Json;
import io.farl.pipeline.PipelineInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code farl inspect}: reads every dataset file of a folder (or one file), prints counts per task, kind and
 * label, failure rate and episode-length statistics, and writes one top-view PNG per task. Torn tails and damaged
 * episodes (frames failing their CRCs) are skipped with a warning and counted per file; a file the reader refuses
 * (bad file header, records that verify but break the format's rules) is bad input, named with record and field.
 */
public final class Inspector {

    /**
     * What one file held.
     *
     * @param file          the file
     * @param episodes      complete episodes
     * @param tornTailBytes bytes after the last complete episode that were skipped
     * @param skippedEpisodes damaged episodes skipped ({@code farl repair} copies the others to a new folder)
     * @param skippedBytes    bytes of those damaged episodes
     */
    public record FileSummary(String file, long episodes, long tornTailBytes, long skippedEpisodes,
            long skippedBytes) {
    }

    /**
     * The result of an inspection.
     *
     * @param files per file
     * @param rows  statistics rows (see {@link DatasetStats.Row})
     * @param plots PNG files written, one per task
     */
    public record Report(List<FileSummary> files, List<DatasetStats.Row> rows, List<String> plots) {
    }

    private final int maxPlotEpisodesPerKind;

    public Inspector(int maxPlotEpisodesPerKind) {
        if (maxPlotEpisodesPerKind < 0) {
            throw new PipelineInputException("--max-plot-episodes must be >= 0, got " + maxPlotEpisodesPerKind);
        }
        this.maxPlotEpisodesPerKind = maxPlotEpisodesPerKind;
    }

    /** Dataset files at {@code path}: the file itself, or the {@code .farl} files directly in the folder. */
    public static List<Path> datasetFiles(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new PipelineInputException(path + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(path)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(DatasetFormat.EXTENSION))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new PipelineInputException("no *" + DatasetFormat.EXTENSION + " files in " + path);
        }
        return files;
    }

    /**
     * Inspects {@code path}, prints the table to {@code out}, writes PNGs into {@code pngDir} (when not null) and the
     * report as JSON to {@code json} (when not null).
     */
    public Report run(Path path, Path pngDir, Path json, PrintWriter out) throws IOException {
        List<Path> files = datasetFiles(path);
        DatasetStats stats = new DatasetStats();
        Map<String, TrajectoryPlot> plots = new TreeMap<>();
        List<FileSummary> summaries = new ArrayList<>();
        for (Path file : files) {
            try (DatasetReader reader = DatasetReader.open(file)) {
                for (Episode e : reader) {
                    stats.add(e);
                    if (pngDir != null) {
                        plots.computeIfAbsent(e.header().task(), t -> new TrajectoryPlot(t, maxPlotEpisodesPerKind))
                                .add(e);
                    }
                }
                List<DatasetReader.Skipped> skipped = reader.skipped();
                summaries.add(new FileSummary(file.toString(), reader.completeEpisodes(),
                        reader.tornTail().map(DatasetReader.TornTail::length).orElse(0L),
                        skipped.stream().mapToLong(DatasetReader.Skipped::episodes).sum(),
                        skipped.stream().mapToLong(DatasetReader.Skipped::length).sum()));
            } catch (DatasetFormatException e) {
                throw new PipelineInputException(e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw new PipelineInputException("cannot read " + file + ": " + e.getCause().getMessage(), e);
            } catch (IOException e) {
                throw new PipelineInputException("cannot read " + file + ": " + e, e);
            }
        }
        stats.printTable(out);
        for (FileSummary f : summaries) {
            if (f.skippedEpisodes() > 0) {
                out.println(f.file() + ": skipped " + f.skippedEpisodes() + " damaged episode(s), " + f.skippedBytes()
                        + " bytes (farl repair copies the intact ones to a new folder)");
            }
        }
        List<String> written = new ArrayList<>();
        if (pngDir != null) {
            Files.createDirectories(pngDir);
            for (TrajectoryPlot plot : plots.values()) {
                if (plot.count() == 0) {
                    continue;
                }
                Path png = pngDir.resolve(plotName(plot));
                plot.write(png);
                written.add(png.toString());
                out.println("wrote " + png);
            }
        }
        Report report = new Report(summaries, stats.rows(), written);
        if (json != null) {
            Json.write(json, report);
            out.println("wrote " + json);
        }
        out.flush();
        return report;
    }

    private static String plotName(TrajectoryPlot plot) {
        return plot.task().replaceAll("[^A-Za-z0-9._-]", "_") + "-topview.png";
    }
}
