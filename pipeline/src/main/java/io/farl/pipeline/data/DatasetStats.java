package io.farl.pipeline.data;

import io.farl.controller.dataset.Episode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts and episode-length statistics of a dataset, grouped by task and kind, with a total per task. Fed one
 * episode at a time; keeps only the lengths.
 */
public final class DatasetStats {

    /**
     * One row of the table.
     *
     * @param task        task name
     * @param kind        kind name in lower case, or {@code all} for a task's total
     * @param episodes    number of episodes
     * @param labels      episodes per label, every label present (0 when none)
     * @param failureRate share of episodes labelled FAILURE
     * @param minLength   shortest episode, steps
     * @param meanLength  mean episode length, steps
     * @param p50Length   median episode length (nearest rank), steps
     * @param maxLength   longest episode, steps
     */
    public record Row(String task, String kind, long episodes, Map<String, Long> labels, double failureRate,
            int minLength, double meanLength, int p50Length, int maxLength) {
    }

    private static final class Group {
        final Map<Episode.Label, Long> labels = new EnumMap<>(Episode.Label.class);
        int[] lengths = new int[16];
        int count;

        void add(Episode e) {
            labels.merge(e.label(), 1L, Long::sum);
            if (count == lengths.length) {
                lengths = Arrays.copyOf(lengths, count * 2);
            }
            lengths[count++] = e.length();
        }

        void addAll(Group g) {
            g.labels.forEach((k, v) -> labels.merge(k, v, Long::sum));
            for (int i = 0; i < g.count; i++) {
                if (count == lengths.length) {
                    lengths = Arrays.copyOf(lengths, count * 2);
                }
                lengths[count++] = g.lengths[i];
            }
        }

        Row row(String task, String kind) {
            int[] sorted = Arrays.copyOf(lengths, count);
            Arrays.sort(sorted);
            Map<String, Long> byLabel = new LinkedHashMap<>();
            for (Episode.Label l : Episode.Label.values()) {
                byLabel.put(l.name().toLowerCase(Locale.ROOT), labels.getOrDefault(l, 0L));
            }
            long failures = labels.getOrDefault(Episode.Label.FAILURE, 0L);
            double mean = count == 0 ? 0 : Arrays.stream(sorted).asDoubleStream().sum() / count;
            return new Row(task, kind, count, byLabel, count == 0 ? 0 : (double) failures / count,
                    count == 0 ? 0 : sorted[0], mean, count == 0 ? 0 : sorted[(count - 1) / 2],
                    count == 0 ? 0 : sorted[count - 1]);
        }
    }

    private final Map<String, Map<Episode.Kind, Group>> groups = new TreeMap<>();

    public void add(Episode e) {
        groups.computeIfAbsent(e.header().task(), t -> new EnumMap<>(Episode.Kind.class))
                .computeIfAbsent(e.header().kind(), k -> new Group()).add(e);
    }

    /** Rows per task (sorted by name): one per kind present, then the task's total when it has several kinds. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        groups.forEach((task, byKind) -> {
            Group total = new Group();
            byKind.forEach((kind, g) -> {
                rows.add(g.row(task, kind.name().toLowerCase(Locale.ROOT)));
                total.addAll(g);
            });
            if (byKind.size() > 1) {
                rows.add(total.row(task, "all"));
            }
        });
        return rows;
    }

    /** Total episodes seen. */
    public long episodes() {
        return groups.values().stream().flatMap(m -> m.values().stream()).mapToLong(g -> g.count).sum();
    }

    /** Prints the rows as a fixed-width table. */
    public void printTable(PrintWriter out) {
        out.printf(Locale.ROOT, "%-18s %-9s %8s %8s %8s %8s %8s %8s %6s %7s %6s %6s%n", "task", "kind", "episodes",
                "success", "failure", "recovery", "timeout", "failRate", "lenMin", "lenMean", "lenP50", "lenMax");
        for (Row r : rows()) {
            out.printf(Locale.ROOT, "%-18s %-9s %8d %8d %8d %8d %8d %7.1f%% %6d %7.1f %6d %6d%n", r.task(), r.kind(),
                    r.episodes(), r.labels().get("success"), r.labels().get("failure"), r.labels().get("recovery"),
                    r.labels().get("timeout"), 100 * r.failureRate(), r.minLength(), r.meanLength(), r.p50Length(),
                    r.maxLength());
        }
        out.flush();
    }
}
