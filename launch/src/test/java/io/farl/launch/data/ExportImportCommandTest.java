package io.farl.launch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.launch.FarlCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code farl export} and {@code farl import} in-process: bad input is one line on stderr and exit code 2. */
class ExportImportCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldExitTwoForAnUnknownFormatKindOrLabel() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        assertBad("unknown table format 'xml', expected csv or parquet", "export", "--data",
                dir.resolve("data").toString(), "--out", dir.resolve("out").toString(), "--format", "xml");
        assertBad("--kind 'demo' is not one of expert, failure, recovery, online", "import", "--from",
                dir.toString(), "--out", dir.resolve("out").toString(), "--task", "t", "--kind", "demo");
        assertBad("--label 'ok' is not one of success, failure, recovery, timeout", "import", "--from",
                dir.toString(), "--out", dir.resolve("out").toString(), "--task", "t", "--label", "ok");
    }

    @Test
    void shouldExitTwoWithoutMetaInfoJson() {
        assertBad(dir.resolve("meta/info.json") + " does not exist", "import", "--from", dir.toString(), "--out",
                dir.resolve("out").toString(), "--task", "bounded-push");
    }

    @Test
    void shouldExitTwoNamingFileRowAndColumnOfANanObservation() throws IOException {
        Path data = dir.resolve("data");
        CliRun collect = CliRun.of("collect", "--task", "bounded-push", "--kind", "expert", "--episodes", "1", "--out",
                data.toString(), "--no-progress");
        assertEquals(FarlCli.EXIT_OK, collect.exitCode(), collect.toString());
        Path layout = dir.resolve("csv");
        CliRun export = CliRun.of("export", "--data", data.toString(), "--out", layout.toString(), "--format", "csv");
        assertEquals(FarlCli.EXIT_OK, export.exitCode(), export.toString());
        assertTrue(export.out().contains("exported 1 episodes"), export.out());

        Path table = layout.resolve("data/chunk-000/episode_000000.csv");
        List<String> lines = Files.readAllLines(table);
        assertTrue(lines.get(0).startsWith("observation.state.0,"), lines.get(0));
        lines.set(1, "NaN" + lines.get(1).substring(lines.get(1).indexOf(',')));
        Files.write(table, lines);
        assertBad("data/chunk-000/episode_000000.csv: row 0 (line 2), column observation.state.0: must be finite, "
                + "got NaN", "import", "--from", layout.toString(), "--out", dir.resolve("back").toString(), "--task",
                "bounded-push");
        assertTrue(Files.notExists(dir.resolve("back/bounded-push-imported.farl")));
    }

    private static void assertBad(String message, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(FarlCli.EXIT_BAD_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("farl: " + message) || run.err().contains(message), run.toString());
        assertTrue(run.err().strip().lines().count() == 1, "one line: " + run.err());
    }
}
