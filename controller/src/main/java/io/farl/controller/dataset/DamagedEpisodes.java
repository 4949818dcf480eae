package io.farl.controller.dataset;

import io.farl.protocol.v1.Record;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the reader does when a frame fails its checks: tells a torn tail from a damaged episode, resynchronises on
 * the next intact episode boundary and keeps the list of what it skipped. Part of {@link DatasetReader}; one per
 * reader, same thread.
 *
 * <p>At damage found at byte {@code d} of an episode that began at byte {@code s}:
 * <ol>
 *   <li>zeros from {@code d} to the end: a torn tail from {@code s} (a crash can leave a zero-filled end);</li>
 *   <li>otherwise the first intact frame after {@code d} that holds an episode header or footer (whole frame
 *       verified, payload parsed) ends the damaged region: bytes {@code [s, header)} or {@code [s, footer end)} are
 *       skipped with one warning, and reading goes on from there;</li>
 *   <li>no such frame: nothing complete was written after the damage, so it is a torn tail from {@code s}.</li>
 * </ol>
 */
final class DamagedEpisodes {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetReader.class);

    /** How reading goes on after damage. */
    sealed interface Resolution permits TornTail, Resume {
    }

    /** The damage is part of a torn tail that starts where the damaged episode began. */
    record TornTail(String reason) implements Resolution {
    }

    /**
     * Reading resumes at {@code offset}.
     *
     * @param recordIndex index of the record there, -1 when the frames of the skipped bytes could not be counted
     * @param minIndex    smallest episode index the next intact episode may carry
     */
    record Resume(long offset, long recordIndex, long minIndex) implements Resolution {
    }

    /**
     * Where the damage was found.
     *
     * @param episodeStart  byte offset where the damaged episode began
     * @param offset        byte offset of the damaged frame
     * @param recordIndex   index of the damaged record, -1 when unknown
     * @param header        the damaged episode's header when it was read intact, else null
     * @param expectedIndex index the damaged episode's header carries or should carry
     */
    record Damage(long episodeStart, long offset, long recordIndex, Episode.Header header, long expectedIndex) {
    }

    private final Path file;
    private final FrameSource source;
    private final List<DatasetReader.Skipped> skipped = new ArrayList<>();

    DamagedEpisodes(Path file, FrameSource source) {
        this.file = file;
        this.source = source;
    }

    List<DatasetReader.Skipped> skipped() {
        return List.copyOf(skipped);
    }

    Resolution resolve(Damage at, FrameSource.Damaged damage) throws IOException {
        if (source.allZero(at.offset())) {
            return new TornTail("zero-filled from byte " + at.offset() + " to the end");
        }
        Optional<FrameSource.Boundary> next = source.nextBoundary(at.offset() + 1);
        if (next.isEmpty()) {
            return new TornTail(damage.reason() + " at byte " + at.offset() + " and no intact footer follows");
        }
        FrameSource.Boundary b = next.get();
        boolean atHeader = b.record().hasHeader();
        long resumeAt = atHeader ? b.frame().offset() : b.frame().end();
        long first = at.header() != null ? at.header().index() : at.expectedIndex();
        // a header after the damage starts the next intact episode; a footer ends the last damaged one
        long following = atHeader ? b.record().getHeader().getEpisodeIndex() : b.record().getFooter().getEpisodeIndex() + 1;
        long episodes = Math.max(1, following - first);
        DatasetReader.Skipped s = new DatasetReader.Skipped(at.episodeStart(), resumeAt - at.episodeStart(),
                at.offset(), at.recordIndex(), damage.field(), damage.problem(), first, episodes, at.header() != null,
                at.header() != null ? at.header().task() : "", at.header() != null ? at.header().seed() : 0);
        skipped.add(s);
        LOG.warn("{}: skipping damaged {} at byte offset {} ({} bytes): {}; resuming at byte {}", file,
                s.describe(), s.offset(), s.length(), s.reason(), resumeAt);
        long frames = at.recordIndex() < 0 ? -1 : source.framesBetween(at.offset(), resumeAt);
        return new Resume(resumeAt, frames < 0 ? -1 : at.recordIndex() + frames, first + episodes);
    }
}
