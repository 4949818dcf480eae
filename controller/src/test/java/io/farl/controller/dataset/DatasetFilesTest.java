package io.farl.controller.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFilesTest {

    @TempDir
    Path dir;

    @Test
    void shouldFindDatasetFilesInSubFoldersInPathOrder() throws IOException {
        Files.createDirectories(dir.resolve("b/c"));
        for (String name : List.of("b/c/z.farl", "a.farl", "b/y.farl", "notes.txt", "b/c/x.farl.torn-16")) {
            Files.writeString(dir.resolve(name), "");
        }
        assertEquals(List.of(dir.resolve("a.farl"), dir.resolve("b/c/z.farl"), dir.resolve("b/y.farl")),
                DatasetFiles.under(dir));
        assertEquals(List.of(dir.resolve("notes.txt")), DatasetFiles.under(dir.resolve("notes.txt")), "a file itself");
        Files.createDirectories(dir.resolve("empty"));
        assertEquals(List.of(), DatasetFiles.under(dir.resolve("empty")));
        assertThrows(NoSuchFileException.class, () -> DatasetFiles.under(dir.resolve("missing")));
    }
}
