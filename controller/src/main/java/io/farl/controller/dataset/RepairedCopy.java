package io.farl.controller.dataset;

import io.farl.protocol.v1.Record;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The copy of one dataset file that {@link DatasetRepair} writes: the file header and the intact complete episodes,
 * byte for byte, except the episode index in the header and footer records of episodes renumbered after a skipped
 * one. Written under a temporary name beside the target, forced, renamed, then read back and checked.
 */
final class RepairedCopy {

    private final FileChannel in;
    private final FileChannel out;
    private final List<DatasetRepair.Renumbered> renumbered = new ArrayList<>();
    private long kept;

    private RepairedCopy(FileChannel in, FileChannel out) {
        this.in = in;
        this.out = out;
    }

    /** Repairs {@code source} into {@code target}; {@code name} is how the report names the file. */
    static DatasetRepair.FileReport write(Path source, Path target, String name) throws IOException {
        long size = Files.size(source);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".repair-tmp");
        RepairedCopy copy;
        DatasetReader reader;
        try (DatasetReader r = DatasetReader.open(source);
                FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            reader = r;
            copy = new RepairedCopy(in, out);
            copy.writeFully(ByteBuffer.wrap(DatasetFormat.fileHeader()));
            for (Episode e : r) {
                copy.episode(e.index(), r.lastBounds());
            }
            out.force(true);
        } catch (DatasetFormatException e) {
            Files.deleteIfExists(tmp);
            return DatasetRepair.FileReport.failed(name, size, e.getMessage());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        move(tmp, target);
        copy.check(target);
        List<DatasetReader.Skipped> skipped = reader.skipped();
        return new DatasetRepair.FileReport(name, true, "", size, Files.size(target), copy.kept,
                skipped.stream().mapToLong(DatasetReader.Skipped::episodes).sum(), skipped,
                reader.tornTail().map(DatasetReader.TornTail::length).orElse(0L),
                reader.tornTail().map(DatasetReader.TornTail::reason).orElse(""), List.copyOf(copy.renumbered));
    }

    /** Copies the episode at {@code at}, whose index was {@code original}, as episode {@link #kept}. */
    private void episode(long original, DatasetReader.EpisodeBounds at) throws IOException {
        long index = kept++;
        if (index == original) {
            transfer(at.offset(), at.end());
            return;
        }
        writeFully(ByteBuffer.wrap(DatasetFormat.frame(renumber(at.offset(), at.headerEnd(), index))));
        transfer(at.headerEnd(), at.footerOffset());
        writeFully(ByteBuffer.wrap(DatasetFormat.frame(renumber(at.footerOffset(), at.end(), index))));
        DatasetRepair.Renumbered last = renumbered.isEmpty() ? null : renumbered.get(renumbered.size() - 1);
        if (last != null && last.originalFirst() + last.count() == original && last.first() + last.count() == index) {
            renumbered.set(renumbered.size() - 1, new DatasetRepair.Renumbered(last.originalFirst(), last.first(),
                    last.count() + 1));
        } else {
            renumbered.add(new DatasetRepair.Renumbered(original, index, 1));
        }
    }

    /**
     * The payload of the header or footer frame at {@code [from, to)} with its episode index set to {@code index};
     * every other field, unknown ones included, stays as it was.
     */
    private byte[] renumber(long from, long to, long index) throws IOException {
        int length = (int) (to - from - DatasetFormat.FRAME_HEAD_BYTES - DatasetFormat.FRAME_TAIL_BYTES);
        ByteBuffer payload = ByteBuffer.allocate(length);
        while (payload.hasRemaining()) {
            if (in.read(payload, from + DatasetFormat.FRAME_HEAD_BYTES + payload.position()) < 0) {
                throw new IOException("source shrank while being repaired");
            }
        }
        Record record = Record.parseFrom(payload.array());
        Record.Builder b = record.toBuilder();
        if (record.hasHeader()) {
            b.setHeader(record.getHeader().toBuilder().setEpisodeIndex(index));
        } else {
            b.setFooter(record.getFooter().toBuilder().setEpisodeIndex(index));
        }
        return b.build().toByteArray();
    }

    private void transfer(long from, long to) throws IOException {
        long done = 0;
        while (done < to - from) {
            long n = in.transferTo(from + done, to - from - done, out);
            if (n <= 0) {
                throw new IOException("source shrank while being repaired (at byte " + (from + done) + ")");
            }
            done += n;
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** Reads the copy back: exactly the episodes copied, nothing skipped, no torn tail; else a bug in the copy. */
    private void check(Path target) throws IOException {
        try (DatasetReader r = DatasetReader.open(target)) {
            long n = r.drain(e -> { });
            if (n != kept || !r.skipped().isEmpty() || r.tornTail().isPresent()) {
                throw new IllegalStateException("the repaired copy " + target + " reads back as " + n + " episodes, "
                        + r.skipped().size() + " skipped, torn tail " + r.tornTail().orElse(null) + "; " + kept
                        + " episodes were copied");
            }
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
    }
}
