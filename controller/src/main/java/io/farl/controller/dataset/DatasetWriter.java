package io.farl.controller.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends episodes to a dataset file (layout in {@link DatasetFormat}), crash-consistently.
 *
 * <p>Each record is handed to the operating system as it comes (no buffering in the process, so a process crash
 * loses nothing already recorded: the partial episode lands in the side file on resume); after each footer the
 * file is forced to disk, and only then does the episode count. A crash at any moment leaves the complete
 * episodes intact and, at worst, a torn tail that {@link DatasetReader} skips.
 *
 * <p>{@link #open} creates the file or resumes it: it reads the existing complete episodes, copies any torn tail
 * byte for byte into a side file next to it ({@code <name>.torn-<offset>}, never overwritten) and only then truncates
 * the tail, so nothing written is silently destroyed. It refuses, before changing anything, a file that breaks the
 * format's rules and a file with damaged episodes (those {@link DatasetReader} skips): appending would bury the
 * damage under new data and leave the episode indices with a gap; {@code farl repair} copies the intact episodes to
 * a new file that can be appended to. An exclusive file lock keeps a second writer out.
 *
 * <p>Lifecycle: {@code open} → ({@link #beginEpisode} → {@link #appendStep}* → {@link #endEpisode})* →
 * {@link #close}. Every record is validated before it is written; an invalid one throws
 * {@link InvalidRecordException} and leaves the file untouched. After an I/O error the writer is broken and
 * every call throws; reopen the file to recover. Not thread-safe: one owner thread (never the control thread).
 */
public final class DatasetWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetWriter.class);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Path preservedTail;
    private long completeEpisodes;
    private EpisodeChecker open;
    private boolean broken;
    private boolean closed;

    private DatasetWriter(Path file, FileChannel channel, FileLock lock, long completeEpisodes, Path preservedTail) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.completeEpisodes = completeEpisodes;
        this.preservedTail = preservedTail;
    }

    /**
     * Creates {@code file} (and its parent folders) or resumes it after its last complete episode.
     *
     * @throws DatasetFormatException when the existing file is not a dataset, breaks the format's rules or has damaged
     *                                episodes; the message then names {@code farl repair}
     * @throws IOException            on I/O errors, or when another writer holds the file
     */
    public static DatasetWriter open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException(file + " is being written by another writer");
            }
            long episodes = 0;
            long end = 0;
            Path side = null;
            long size = channel.size();
            if (size > 0) {
                try (DatasetReader reader = DatasetReader.over(file, channel)) {
                    episodes = reader.drain(e -> { });
                    end = reader.completeEnd();
                    refuseDamaged(file, reader.skipped());
                }
                if (end < size) {
                    side = preserve(file, channel, end, size);
                    channel.truncate(end);
                    channel.force(true);
                    LOG.warn("{}: resumed after {} complete episodes; moved {} torn bytes from offset {} to {}", file,
                            episodes, size - end, end, side);
                }
            }
            if (end == 0) {
                channel.position(0);
                channel.write(ByteBuffer.wrap(DatasetFormat.fileHeader()));
                channel.force(true);
                forceDirectory(parent);
            }
            channel.position(channel.size());
            return new DatasetWriter(file, channel, lock, episodes, side);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** Complete episodes in the file: those found at open plus those ended since. */
    public long completeEpisodes() {
        return completeEpisodes;
    }

    /** Index the next episode's header must carry. */
    public long nextEpisodeIndex() {
        return completeEpisodes;
    }

    /** The side file that received a torn tail found at open, if there was one. */
    public Optional<Path> preservedTail() {
        return Optional.ofNullable(preservedTail);
    }

    /** True between {@link #beginEpisode} and {@link #endEpisode}. */
    public boolean episodeOpen() {
        return open != null;
    }

    /** Starts an episode; its header's index must be {@link #nextEpisodeIndex()}. */
    public void beginEpisode(Episode.Header header) throws IOException {
        usable();
        if (open != null) {
            throw new IllegalStateException("episode " + completeEpisodes + " is still open; end it first");
        }
        EpisodeChecker checker = new EpisodeChecker(completeEpisodes);
        checker.header(header);
        write(ProtoMapping.toProto(header).toByteArray());
        open = checker;
    }

    public void appendStep(Episode.Step step) throws IOException {
        usable();
        requireOpen();
        open.step(step);
        write(ProtoMapping.toProto(step).toByteArray());
    }

    /** Ends the open episode and forces it to disk; when this returns, the episode survives a crash. */
    public void endEpisode(Episode.Footer footer) throws IOException {
        usable();
        requireOpen();
        open.footer(footer);
        write(ProtoMapping.toProto(footer).toByteArray());
        try {
            channel.force(false);
        } catch (IOException e) {
            broken = true;
            throw e;
        }
        open = null;
        completeEpisodes++;
    }

    /** Writes a whole episode, re-indexed to {@link #nextEpisodeIndex()}, and forces it to disk. */
    public void append(Episode episode) throws IOException {
        long index = nextEpisodeIndex();
        beginEpisode(episode.header().withIndex(index));
        for (Episode.Step s : episode.steps()) {
            appendStep(s);
        }
        endEpisode(episode.footer().withIndex(index));
    }

    /**
     * Flushes and closes. An episode still open stays incomplete: its records are on disk but do not count, and
     * the next {@link #open} moves them to a side file.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!broken) {
                channel.force(false);
            }
            if (open != null) {
                LOG.warn("{}: closed with episode {} incomplete ({} steps); it does not count", file,
                        completeEpisodes, open.steps());
            }
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    private void write(byte[] payload) throws IOException {
        try {
            ByteBuffer frame = ByteBuffer.wrap(DatasetFormat.frame(payload));
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
        } catch (IOException e) {
            broken = true;
            throw e;
        }
    }

    private void usable() {
        if (closed) {
            throw new IllegalStateException("writer of " + file + " is closed");
        }
        if (broken) {
            throw new IllegalStateException("writer of " + file + " failed on an I/O error; reopen the file");
        }
    }

    private void requireOpen() {
        if (open == null) {
            throw new IllegalStateException("no episode is open in " + file + "; call beginEpisode first");
        }
    }

    private static void refuseDamaged(Path file, List<DatasetReader.Skipped> skipped) {
        if (skipped.isEmpty()) {
            return;
        }
        DatasetReader.Skipped first = skipped.get(0);
        long episodes = skipped.stream().mapToLong(DatasetReader.Skipped::episodes).sum();
        throw new DatasetFormatException(file, first.recordIndex(), first.damageOffset(), first.field(),
                first.problem() + " (" + episodes + " damaged episode(s) in " + skipped.size() + " region(s), the "
                        + "first from byte " + first.offset() + "); not appending to a damaged file: copy its intact "
                        + "episodes with `farl repair DIR --out NEWDIR` and append to the copy", null);
    }

    /** Copies bytes [from, to) into a new side file and forces it before anything is truncated. */
    private static Path preserve(Path file, FileChannel channel, long from, long to) throws IOException {
        Path side = file.resolveSibling(file.getFileName() + ".torn-" + from);
        for (int n = 1; Files.exists(side); n++) {
            side = file.resolveSibling(file.getFileName() + ".torn-" + from + "-" + n);
        }
        try (FileChannel target = FileChannel.open(side, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long copied = 0;
            while (copied < to - from) {
                long n = channel.transferTo(from + copied, to - from - copied, target);
                if (n <= 0) {
                    throw new IOException("could not copy the torn tail of " + file + " to " + side);
                }
                copied += n;
            }
            target.force(true);
        }
        forceDirectory(side.toAbsolutePath().getParent());
        return side;
    }

    /** Makes a new directory entry durable; best effort where the platform cannot open directories. */
    private static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot force directory {}: {}", dir, e.toString());
        }
    }
}
