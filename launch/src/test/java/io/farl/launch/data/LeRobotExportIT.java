package io.farl.launch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.launch.FarlCli;
import io.farl.pipeline.Json;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farl export} on episodes the simulator recorded, read by Debian's pandas in its own process: shapes,
 * columns, episode count, and rewards and actions equal to the dataset's; then {@code farl import} of the CSV and
 * the Parquet export gives the same episodes back.
 */
class LeRobotExportIT {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String TASK = "bounded-push";

    @TempDir
    Path dir;

    /** What check_lerobot_csv.py read with pandas. */
    record PandasReport(String pandas, int episodes, int frames, int columns, List<Integer> stateShape,
            List<String> tasks, List<String> labels, List<Integer> irFailureSteps, List<List<Double>> rewards,
            List<List<List<Double>>> actions) {
    }

    static boolean pandasAvailable() {
        return new File(PYTHON).canExecute() && new File("/usr/lib/python3/dist-packages/pandas/__init__.py").isFile();
    }

    @Test
    void shouldExportSimulatorEpisodesThatPandasReadsAndImportThemBack() throws Exception {
        assertTrue(pandasAvailable(), "Debian python3-pandas is not installed: run scripts/install-system-deps.sh (scripts/test does)");
        Path data = dir.resolve("data");
        CliRun collect = CliRun.of("collect", "--task", TASK, "--kind", "expert,failure", "--episodes", "2", "--out",
                data.toString(), "--no-progress");
        assertEquals(FarlCli.EXIT_OK, collect.exitCode(), collect.toString());
        List<Episode> recorded = new ArrayList<>(DatasetReader.readAll(data.resolve(TASK + "-expert.farl")));
        recorded.addAll(DatasetReader.readAll(data.resolve(TASK + "-failure.farl")));

        Path csv = dir.resolve("lerobot-csv");
        CliRun export = CliRun.of("export", "--data", data.toString(), "--out", csv.toString(), "--format", "csv");
        assertEquals(FarlCli.EXIT_OK, export.exitCode(), export.toString());
        assertTrue(export.out().contains("exported 4 episodes"), export.out());

        PandasReport report = pandas(csv);
        assertEquals(recorded.size(), report.episodes());
        assertEquals(recorded.stream().mapToInt(Episode::length).sum(), report.frames());
        assertEquals(List.of(report.frames(), 39), report.stateShape());
        assertEquals(List.of(TASK), report.tasks());
        for (int e = 0; e < recorded.size(); e++) {
            Episode ep = recorded.get(e);
            assertEquals(ep.label().name().toLowerCase(Locale.ROOT), report.labels().get(e), "label of " + e);
            assertEquals(ep.footer().failureStep().isPresent() ? ep.footer().failureStep().getAsInt() : null,
                    report.irFailureSteps().get(e), "IR-failure step of " + e);
            assertEquals(ep.steps().stream().map(Episode.Step::reward).toList(), report.rewards().get(e),
                    "rewards of " + e);
            assertEquals(ep.steps().stream().map(s -> Arrays.stream(s.executedAction()).boxed().toList()).toList(),
                    report.actions().get(e), "executed actions of " + e);
        }
        assertTrue(recorded.stream().anyMatch(ep -> ep.label() == Episode.Label.FAILURE), "a failure demonstration");

        Path parquet = dir.resolve("lerobot-parquet");
        assertEquals(FarlCli.EXIT_OK, CliRun.of("export", "--data", data.toString(), "--out", parquet.toString())
                .exitCode());
        for (Path layout : List.of(csv, parquet)) {
            Path back = dir.resolve("back-" + layout.getFileName());
            CliRun imported = CliRun.of("import", "--from", layout.toString(), "--out", back.toString(), "--task",
                    TASK);
            assertEquals(FarlCli.EXIT_OK, imported.exitCode(), imported.toString());
            List<Episode> episodes = DatasetReader.readAll(back.resolve(TASK + "-imported.farl"));
            assertEquals(recorded.size(), episodes.size(), layout.toString());
            for (int e = 0; e < recorded.size(); e++) {
                assertEquals(recorded.get(e).withIndex(e), episodes.get(e), layout + " episode " + e);
            }
        }
    }

    private PandasReport pandas(Path layout) throws Exception {
        Path script = Path.of(getClass().getResource("check_lerobot_csv.py").toURI());
        Path report = dir.resolve("pandas-report.json");
        Path log = dir.resolve("pandas.log");
        Process p = new ProcessBuilder(PYTHON, script.toString(), layout.toString(), report.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        System.out.println("pandas check: " + output.strip());
        assertTrue(done && p.exitValue() == 0, "pandas check failed:\n" + output);
        return Json.read(report, PandasReport.class);
    }
}
