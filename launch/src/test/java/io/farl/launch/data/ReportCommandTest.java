package io.farl.launch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.SyntheticEpisodes;
import io.farl.controller.session.SessionEvent;
import io.farl.controller.session.SessionEventLog;
import io.farl.launch.FarlCli;
import io.farl.pipeline.Json;
import io.farl.pipeline.report.SessionReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    private static final int EPISODES = 5;

    @TempDir
    Path dir;

    @Test
    void shouldWriteTheReportOfARunFolder() throws IOException {
        Path run = runFolder();
        CliRun r = CliRun.of("report", "--run", run.toString(), "--epsilon-safe", "0.4");
        assertEquals(FarlCli.EXIT_OK, r.exitCode(), r.toString());
        for (String f : new String[] {"episodes.png", "interventions.png", "ch-trace.png", "report.html",
                "report.json"}) {
            assertTrue(Files.size(run.resolve("report").resolve(f)) > 0, f);
        }
        SessionReport.Summary s = Json.read(run.resolve("report/report.json"), SessionReport.Summary.class);
        assertEquals(EPISODES, s.episodes());
        assertEquals(2, s.events().size());
        assertEquals(0.4, s.epsilonSafe());
        assertTrue(r.out().contains(EPISODES + " episode(s)"), r.toString());
        assertTrue(Files.readString(run.resolve("report/report.html"), StandardCharsets.UTF_8)
                .contains("bumped &lt;vase&gt;"), "escaped event detail");
    }

    @Test
    void shouldTakeEpsilonSafeFromTheModelsCalibration() throws IOException {
        Path run = runFolder();
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.writeString(models.resolve("calibration.properties"), "epsilonSafe=0.25\n");
        Path out = dir.resolve("elsewhere");
        CliRun r = CliRun.of("report", "--run", run.toString(), "--models", models.toString(), "--out",
                out.toString());
        assertEquals(FarlCli.EXIT_OK, r.exitCode(), r.toString());
        assertEquals(0.25, Json.read(out.resolve("report.json"), SessionReport.Summary.class).epsilonSafe());
    }

    @Test
    void shouldRefuseAMissingFolderARunWithoutDatasetAndADamagedFile() throws IOException {
        Path missing = dir.resolve("no-such-run");
        CliRun r = CliRun.of("report", "--run", missing.toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, r.exitCode(), r.toString());
        assertTrue(r.err().contains(missing.toString()), r.toString());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        r = CliRun.of("report", "--run", empty.toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, r.exitCode(), r.toString());
        assertTrue(r.err().contains(empty.resolve("run.farl").toString()), r.toString());

        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        Files.writeString(damaged.resolve("run.farl"), "this is not a dataset file, ".repeat(10));
        r = CliRun.of("report", "--run", damaged.toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, r.exitCode(), r.toString());
        assertTrue(r.err().contains(damaged.resolve("run.farl").toString()), r.toString());
    }

    private Path runFolder() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        try (DatasetWriter w = DatasetWriter.open(run.resolve("run.farl"))) {
            for (int i = 0; i < EPISODES; i++) {
                w.append(SyntheticEpisodes.episode(i, 30, 7 + i));
            }
        }
        try (SessionEventLog log = SessionEventLog.open(run)) {
            log.log(new SessionEvent(1_700_000_000_000L, SessionEvent.Kind.PAUSE, 1, "bumped <vase>"));
            log.log(new SessionEvent(1_700_000_060_000L, SessionEvent.Kind.RESUME, 1, ""));
        }
        return run;
    }
}
