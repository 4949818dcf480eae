package io.farl.interchange;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Builds an output under a hidden sibling name ({@code .NAME.partial}) and renames it into place once complete, so
 * that an export or import that fails half-way leaves no output that looks finished. An existing output is never
 * overwritten: only a missing target, or an empty folder for a folder target, is accepted.
 */
final class Staging {

    private Staging() {
    }

    /** The staging path for {@code target}, after checking that the target may be written; cleared if left over. */
    static Path begin(Path target) throws IOException {
        if (Files.isDirectory(target)) {
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new InterchangeInputException(target + " exists and is not empty; give a new or empty "
                            + "folder");
                }
            }
        } else if (Files.exists(target)) {
            throw new InterchangeInputException(target + " exists; remove it or choose another output");
        }
        Path absolute = target.toAbsolutePath();
        Path staging = absolute.resolveSibling("." + absolute.getFileName() + ".partial");
        abandon(staging);
        Files.createDirectories(absolute.getParent());
        return staging;
    }

    /** Renames the finished staging path to {@code target} (replacing the empty folder it may be). */
    static void commit(Path staging, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            Files.delete(target);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staging, target);
        }
    }

    /** Deletes what is left at {@code staging}, if anything (after a commit, nothing is). */
    static void abandon(Path staging) throws IOException {
        if (!Files.exists(staging)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
