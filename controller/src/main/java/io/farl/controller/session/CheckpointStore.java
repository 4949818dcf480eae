package io.farl.controller.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Crash-safe checkpoint directories under one root: {@code <root>/ckpt-000000042/}. A checkpoint is written into a
 * temporary sibling, every file and the directory are forced to disk, then it is renamed atomically; a reader (a
 * resumed process after kill -9) sees complete checkpoints only. Leftover temporaries of a crashed writer are
 * removed on open. The newest {@code keep} checkpoints are kept.
 *
 * <p>Not thread-safe; one writer per root (the session thread).
 */
public final class CheckpointStore {
    private static final String PREFIX = "ckpt-";
    private static final String TMP_PREFIX = ".tmp-ckpt-";

    /** Fills an empty directory with a checkpoint's files. */
    @FunctionalInterface
    public interface Writer {
        void write(Path dir) throws IOException;
    }

    private final Path root;
    private final int keep;

    public CheckpointStore(Path root, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        }
        this.root = root;
        this.keep = keep;
        try {
            Files.createDirectories(root);
            try (Stream<Path> s = Files.list(root)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith(TMP_PREFIX)).toList()) {
                    deleteRecursively(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open checkpoint directory " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Writes checkpoint number {@code ordinal} (replacing one of the same number).
     *
     * @return its directory
     */
    public Path save(long ordinal, Writer writer) throws IOException {
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must be >= 0");
        }
        Path tmp = root.resolve(TMP_PREFIX + UUID.randomUUID());
        Files.createDirectory(tmp);
        try {
            writer.write(tmp);
            forceTree(tmp);
            Path target = root.resolve(name(ordinal));
            if (Files.exists(target)) {
                deleteRecursively(target);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("file system of " + root + " cannot rename atomically", e);
            }
            forceDirectory(root);
            prune();
            return target;
        } finally {
            deleteRecursively(tmp);
        }
    }

    /** Reads a checkpoint's properties file (UTF-8). */
    public static java.util.Properties readProperties(Path file) throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader r = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** Writes a checkpoint's properties file (UTF-8), inside a checkpoint being saved. */
    public static void writeProperties(Path file, java.util.Properties p, String comment) throws IOException {
        try (java.io.Writer w = Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.UTF_8)) {
            p.store(w, comment);
        }
    }

    /** The newest complete checkpoint. */
    public Optional<Path> latest() {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Complete checkpoints, oldest first. */
    public List<Path> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches(PREFIX + "\\d{9,}") && Files.isDirectory(p))
                    .sorted(Comparator.comparingLong(CheckpointStore::ordinal)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number a checkpoint directory was saved under. */
    public static long ordinal(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString().substring(PREFIX.length()));
    }

    private static String name(long ordinal) {
        return String.format("%s%09d", PREFIX, ordinal);
    }

    private void prune() throws IOException {
        List<Path> all = new ArrayList<>(list());
        while (all.size() > keep) {
            deleteRecursively(all.remove(0));
        }
    }

    private static void forceTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isRegularFile(p)) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                } else if (Files.isDirectory(p)) {
                    forceDirectory(p);
                }
            }
        }
    }

    private static void forceDirectory(Path dir) {
        // Linux lets a directory be opened read-only and forced; elsewhere this is best effort.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported on this platform: the rename is still atomic, only its durability is weaker
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
