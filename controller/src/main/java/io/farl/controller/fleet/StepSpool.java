package io.farl.controller.fleet;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory of step batches the learner has not acknowledged: one file per batch, named {@code <run>-<seq>.batch}
 * with the sequence zero-padded so names sort in sending order within a run. A file appears whole or not at all
 * (written to a temporary name, forced to disk, then renamed), and is deleted only after the learner acknowledged it,
 * so a crash or a learner outage loses no acknowledged-to-be-sent batch. Batches of earlier runs stay until sent.
 */
public final class StepSpool {
    static final String SUFFIX = ".batch";
    private final Path dir;

    public StepSpool(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, "*.tmp")) {
            for (Path p : tmp) {
                // a write cut by a crash; the batch it held was lost with the process's memory
                Files.deleteIfExists(p);
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** File name of a batch. */
    static String name(String runId, long seq) {
        return runId + "-" + String.format("%012d", seq) + SUFFIX;
    }

    /** Writes a batch durably; returns its file. */
    public Path write(String runId, long seq, byte[] payload) throws IOException {
        return DurableFiles.write(dir.resolve(name(runId, seq)), payload);
    }

    public byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /** Spooled batches by name: run ids sort by start time ({@link StepUplink#newRunId}), then by sequence. */
    public List<Path> list() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                out.add(p);
            }
        }
        out.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }
}
