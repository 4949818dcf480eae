package io.farl.controller.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds dataset files on disk. */
public final class DatasetFiles {

    private DatasetFiles() {
    }

    /**
     * The dataset files at {@code path}: the file itself (whatever its name), or every {@code *.farl} file anywhere
     * below the folder, in path order; empty when the folder holds none.
     *
     * @throws NoSuchFileException when {@code path} does not exist
     */
    public static List<Path> under(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such dataset file or directory");
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString()
                    .endsWith(DatasetFormat.EXTENSION)).sorted().toList();
        }
    }
}
