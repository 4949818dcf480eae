package io.farl.controller.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's event log, {@code session-events.jsonl}: appended and forced to disk line by line (events are rare:
 * operator actions, not steps), so a crash keeps every event logged before it. A later session in the same folder
 * appends. Thread-safe. A write error is logged once; the session goes on.
 */
public final class SessionEventLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEventLog.class);
    public static final String FILE = "session-events.jsonl";

    private final Path file;
    private final FileChannel channel;
    private boolean failed;

    private SessionEventLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (creates) {@code dir/session-events.jsonl} for appending. */
    public static SessionEventLog open(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        return new SessionEventLog(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    public Path file() {
        return file;
    }

    /** Appends one event and forces it to disk. */
    public synchronized void log(SessionEvent e) {
        try {
            channel.write(ByteBuffer.wrap((e.toJson() + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
        } catch (IOException ex) {
            if (!failed) {
                LOG.error("session event not logged ({}): {}", file, ex.toString());
            }
            failed = true;
        }
    }

    /** The events of a log file; a last line cut short by a crash is left out. Missing file: none. */
    public static List<SessionEvent> read(Path file) throws IOException {
        List<SessionEvent> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(SessionEvent.parse(line));
            } catch (IllegalArgumentException ex) {
                if (i == lines.size() - 1) {
                    break; // torn last line
                }
                throw new IOException(file + ": line " + (i + 1) + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
