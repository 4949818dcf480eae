package io.farl.interchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the exporter refuses, and that a refused export leaves no output behind. */
class LeRobotExportTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAFolderWithoutDatasets() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        assertRefused("no *.farl files under " + dir.resolve("data"));
    }

    @Test
    void shouldRefuseAnOutputFolderThatIsNotEmpty() throws IOException {
        Episodes.write(dir.resolve("data/a.farl"), List.of(Episodes.plain("t", 3, 2, 4)));
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/keep.txt"), "mine");
        assertRefused(dir.resolve("out") + " exists and is not empty");
        assertEquals("mine", Files.readString(dir.resolve("out/keep.txt")));
    }

    @Test
    void shouldExportIntoAnEmptyOutputFolder() throws IOException {
        Episodes.write(dir.resolve("data/a.farl"), List.of(Episodes.plain("t", 3, 2, 4)));
        Files.createDirectories(dir.resolve("out"));
        LeRobotExporter.Summary s = new LeRobotExporter(TableFormat.CSV).export(dir.resolve("data"), dir.resolve("out"));
        assertEquals(4, s.frames());
        assertEquals(20, LeRobotMeta.JSON.readValue(dir.resolve("out/meta/info.json").toFile(), LeRobotMeta.Info.class)
                .fps(), "50 ms period: an integer fps");
    }

    @Test
    void shouldRefuseEpisodesOfAnotherShapeNamingTheFile() throws IOException {
        Episodes.write(dir.resolve("data/a.farl"), List.of(Episodes.plain("t", 3, 2, 4)));
        Episodes.write(dir.resolve("data/b.farl"), List.of(Episodes.plain("u", 3, 2, 2), Episodes.plain("u", 5, 2,
                2)));
        assertRefused(dir.resolve("data/b.farl") + ": episode 1 has another observation size 5 than the first episode "
                + "exported (task t)");
    }

    @Test
    void shouldRefuseADamagedDatasetNamingIt() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/bad.farl"), "not a dataset at all");
        assertRefused(dir.resolve("data/bad.farl") + ": byte 0: file.magic is not that of a FARL dataset");
    }

    private void assertRefused(String message) {
        InterchangeInputException e = assertThrows(InterchangeInputException.class,
                () -> new LeRobotExporter(TableFormat.PARQUET).export(dir.resolve("data"), dir.resolve("out")));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out/meta")), "no layout written");
        assertFalse(Files.exists(dir.resolve(".out.partial")), "staging folder removed");
    }
}
