package io.farl.controller.fleet;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The step batches a learner acknowledged since its last checkpoint, on disk: a batch is written here (durably,
 * atomically) before its acknowledgement goes out, and files up to a checkpoint's mark are deleted once that
 * checkpoint, which holds the learner's queued steps, is written. A learner that restarts restores the checkpoint and
 * replays the journal after its mark, so no acknowledged step is lost with the process.
 * File names: {@code <number>-<robot>.batch}, the number zero-padded and increasing.
 */
final class LearnJournal {
    /** One journaled batch. */
    record Entry(long number, String robot, Path file) {
    }

    private final Path dir;
    private long last;

    LearnJournal(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        for (Entry e : entries()) {
            last = Math.max(last, e.number());
        }
    }

    Path dir() {
        return dir;
    }

    /** Number of the newest entry (0: none yet). */
    long last() {
        return last;
    }

    /** Numbers new entries after {@code mark} at least (a checkpoint's mark, after its entries were deleted). */
    void continueAfter(long mark) {
        last = Math.max(last, mark);
    }

    long append(String robot, byte[] payload) throws IOException {
        long n = last + 1;
        Path target = dir.resolve(String.format("%012d", n) + "-" + robot + ".batch");
        DurableFiles.write(target, payload);
        last = n;
        return n;
    }

    /** Entries in order. */
    List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.batch")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                int dash = name.indexOf('-');
                try {
                    out.add(new Entry(Long.parseLong(name.substring(0, dash)),
                            name.substring(dash + 1, name.length() - ".batch".length()), p));
                } catch (RuntimeException e) {
                    throw new IOException(p + " is not named <number>-<robot>.batch", e);
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(Entry::number));
        return out;
    }

    /** Deletes the entries up to and including {@code number}. */
    void deleteThrough(long number) throws IOException {
        for (Entry e : entries()) {
            if (e.number() <= number) {
                Files.deleteIfExists(e.file());
            }
        }
    }
}
