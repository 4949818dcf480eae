package io.farl.controller.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The step batches a learner has taken, per (robot, run id): every sequence up to a floor, plus the ones above it, so a
 * batch delivered twice (a resend after a lost acknowledgement, a spool drained after a restart) is trained on once.
 * Saved with each checkpoint as text, one line per run: {@code <robot>/<run> <floor> <seq>,<seq>,…}.
 */
final class SeenBatches {
    private static final class Run {
        long floor;
        final TreeSet<Long> above = new TreeSet<>();
    }

    private final Map<String, Run> runs = new HashMap<>();

    boolean contains(String key, long seq) {
        Run r = runs.get(key);
        return r != null && (seq <= r.floor || r.above.contains(seq));
    }

    void add(String key, long seq) {
        Run r = runs.computeIfAbsent(key, k -> new Run());
        if (seq <= r.floor) {
            return;
        }
        r.above.add(seq);
        while (r.above.remove(r.floor + 1)) {
            r.floor++;
        }
    }

    SeenBatches copy() {
        SeenBatches c = new SeenBatches();
        runs.forEach((k, r) -> {
            Run x = new Run();
            x.floor = r.floor;
            x.above.addAll(r.above);
            c.runs.put(k, x);
        });
        return c;
    }

    int runs() {
        return runs.size();
    }

    void write(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        runs.forEach((k, r) -> {
            StringBuilder sb = new StringBuilder(k).append(' ').append(r.floor).append(' ');
            boolean first = true;
            for (long s : r.above) {
                sb.append(first ? "" : ",").append(s);
                first = false;
            }
            lines.add(sb.toString().strip());
        });
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    static SeenBatches read(Path file) throws IOException {
        SeenBatches s = new SeenBatches();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.strip().split(" ");
            try {
                Run r = new Run();
                r.floor = Long.parseLong(f[1]);
                if (f.length > 2) {
                    for (String x : f[2].split(",")) {
                        r.above.add(Long.parseLong(x));
                    }
                }
                s.runs.put(f[0], r);
            } catch (RuntimeException e) {
                throw new IOException(file + " line " + n + ": not '<robot>/<run> <floor> [<seq>,…]': " + line, e);
            }
        }
        return s;
    }
}
