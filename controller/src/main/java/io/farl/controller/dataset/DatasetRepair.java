package io.farl.controller.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code farl repair}: copies a folder of datasets into a new folder, keeping every intact complete episode of each
 * {@code *.farl} file and leaving the damaged ones and torn tails behind. The source folder is only read.
 *
 * <p>For every {@code *.farl} file under the source, the copy at the same relative path holds the source's file
 * header and its intact complete episodes in order, record for record as they were written; only when an earlier
 * episode was skipped are the indices of the episodes after it renumbered so that they stay 0, 1, 2, ... (the
 * header and footer records of those episodes are re-encoded with the new index, every other field kept, and the
 * report lists the renumbering). Each copy is written under a temporary name, forced to disk, renamed, and read back
 * with a plain {@link DatasetReader}, which must find exactly the episodes copied, nothing skipped and no torn tail.
 * A file the reader refuses (a bad file header, records that verify but break the format's rules) gets no copy and
 * is reported with the reason. Every other regular file (side files of torn tails, reports, plots) is copied
 * unchanged, so the new folder is the old one minus the damage; symbolic links and special files are listed as not
 * copied.
 *
 * <p>Single thread; the caller makes sure nothing writes to the source while it runs.
 */
public final class DatasetRepair {

    /**
     * What a repair did.
     *
     * @param source    the folder repaired, absolute
     * @param target    the new folder, absolute
     * @param datasets  one entry per {@code *.farl} file, in path order
     * @param copied    other files copied unchanged, relative to the folders
     * @param notCopied entries neither repaired nor copied
     */
    public record Report(String source, String target, List<FileReport> datasets, List<String> copied,
            List<NotCopied> notCopied) {

        /** True when every dataset file got a copy. */
        public boolean allRepaired() {
            return datasets.stream().allMatch(FileReport::repaired);
        }
    }

    /**
     * What one dataset file gave.
     *
     * @param file            path relative to the folders
     * @param repaired        false when the file could not be read at all; it then has no copy
     * @param error           why not, empty when repaired
     * @param bytesRead       size of the source file
     * @param bytesWritten    size of the copy (0 when none)
     * @param episodesKept    intact complete episodes copied
     * @param episodesSkipped damaged episodes left behind (the sum of {@code skipped[].episodes})
     * @param skipped         the damaged regions left behind, in file order
     * @param tornTailBytes   bytes of the torn tail left behind (0 when the file ended cleanly)
     * @param tornTailReason  why they were a torn tail, empty when there was none
     * @param renumbered      runs of kept episodes whose index changed
     */
    public record FileReport(String file, boolean repaired, String error, long bytesRead, long bytesWritten,
            long episodesKept, long episodesSkipped, List<DatasetReader.Skipped> skipped, long tornTailBytes,
            String tornTailReason, List<Renumbered> renumbered) {

        static FileReport failed(String file, long bytesRead, String error) {
            return new FileReport(file, false, error, bytesRead, 0, 0, 0, List.of(), 0, "", List.of());
        }
    }

    /**
     * {@code count} consecutive episodes that were {@code originalFirst, originalFirst + 1, ...} in the source and
     * are {@code first, first + 1, ...} in the copy.
     */
    public record Renumbered(long originalFirst, long first, long count) {
    }

    /**
     * An entry under the source that has no counterpart in the copy.
     *
     * @param path   relative to the source folder
     * @param reason why
     */
    public record NotCopied(String path, String reason) {
    }

    private DatasetRepair() {
    }

    /**
     * Why {@code out} cannot receive a repair of {@code dir}, or empty when it can: {@code dir} must be a folder,
     * and {@code out} a new or empty folder that is neither {@code dir} nor inside it.
     */
    public static Optional<String> refusal(Path dir, Path out) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.of(dir + " is not a folder");
        }
        Path source = dir.toRealPath();
        Path target = resolved(out);
        if (target.equals(source)) {
            return Optional.of("--out " + out + " is the folder being repaired; give a new folder");
        }
        if (target.startsWith(source)) {
            return Optional.of("--out " + out + " lies inside " + dir + "; give a folder outside it");
        }
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                return Optional.of("--out " + out + " is a file; give a new or empty folder");
            }
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    return Optional.of("--out " + out + " exists and is not empty; give a new or empty folder");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Repairs {@code dir} into {@code out} (created when absent).
     *
     * @throws IllegalArgumentException with the {@link #refusal} when there is one
     * @throws IOException              on I/O errors
     */
    public static Report repair(Path dir, Path out) throws IOException {
        Optional<String> refusal = refusal(dir, out);
        if (refusal.isPresent()) {
            throw new IllegalArgumentException(refusal.get());
        }
        Files.createDirectories(out);
        List<FileReport> datasets = new ArrayList<>();
        List<String> copied = new ArrayList<>();
        List<NotCopied> notCopied = new ArrayList<>();
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(dir)) {
            entries = walk.filter(p -> !p.equals(dir)).sorted().toList();
        }
        for (Path p : entries) {
            String relative = dir.relativize(p).toString();
            Path target = out.resolve(dir.relativize(p));
            if (Files.isSymbolicLink(p)) {
                notCopied.add(new NotCopied(relative, "symbolic link"));
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(target);
            } else if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                notCopied.add(new NotCopied(relative, "not a regular file"));
            } else if (relative.endsWith(DatasetFormat.EXTENSION)) {
                datasets.add(RepairedCopy.write(p, target, relative));
            } else {
                Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                copied.add(relative);
            }
        }
        return new Report(dir.toAbsolutePath().normalize().toString(), out.toAbsolutePath().normalize().toString(),
                datasets, copied, notCopied);
    }

    /** {@code p} with the real path of its deepest existing ancestor, so that links and ".." compare truly. */
    private static Path resolved(Path p) throws IOException {
        Path absolute = p.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        return existing.toRealPath().resolve(existing.relativize(absolute));
    }
}
