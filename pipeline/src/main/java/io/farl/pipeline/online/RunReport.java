package io.farl.pipeline.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.farl.controller.session.EpisodeStats;
import io.farl.controller.session.SessionTotals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** JSON of one fine-tuning run: configuration, totals, per-episode statistics and the curves drawn from them. */
public final class RunReport {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Episodes in the moving window of success rate and return. */
    static final int WINDOW = 20;

    private RunReport() {
    }

    /** File name of a run's report inside the output directory. */
    public static String fileName(String method, long seed) {
        return "finetune-" + method + "-seed" + seed + ".json";
    }

    public static Map<String, Object> document(OnlineRun.Result r, InitModels models, String learner) {
        Map<String, Object> doc = new LinkedHashMap<>();
        OnlineRun.Spec s = r.spec();
        doc.put("task", s.task().cliName());
        doc.put("method", s.method().cliName());
        doc.put("seed", s.seed());
        doc.put("stepBudget", s.steps());
        doc.put("recoveryStorage", s.recoveryStorage().name().toLowerCase(java.util.Locale.ROOT));
        doc.put("epsilonSafe", s.method().gated() ? s.epsilonSafe() : null);
        doc.put("horizonSteps", models.rollout().horizonSteps());
        doc.put("init", models.root().toString());
        doc.put("learner", learner);
        doc.put("resumed", r.resumed());
        doc.put("wallSeconds", r.wallSeconds());
        doc.put("stepsThisProcess", r.stepsThisProcess());
        doc.put("stepsPerSecond", r.stepsPerSecond());
        doc.put("proposalFailures", r.proposalFailures());
        doc.put("loopErrors", r.loopErrors());
        doc.put("learnerRejects", r.learnerRejects());
        doc.put("totals", totals(r.totals()));
        doc.put("final", finalWindow(r.episodes()));
        doc.put("gate", s.method().gated() ? io.farl.pipeline.bench.GateFigures.of(r.episodes()) : null);
        doc.put("episodes", r.episodes());
        return doc;
    }

    static Map<String, Object> totals(SessionTotals t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("episodes", t.episodes());
        m.put("steps", t.steps());
        m.put("updates", t.updates());
        m.put("successes", t.successes());
        m.put("failureEpisodes", t.failureEpisodes());
        m.put("failureSteps", t.failureSteps());
        m.put("recoverySteps", t.recoverySteps());
        m.put("gateInterventions", t.gateInterventions());
        m.put("holdSteps", t.holdSteps());
        m.put("overrideSteps", t.overrideSteps());
        m.put("alarms", t.alarms());
        return m;
    }

    /** Success rate and mean return over the last {@link #WINDOW} episodes. */
    static Map<String, Object> finalWindow(List<EpisodeStats> eps) {
        int from = Math.max(0, eps.size() - WINDOW);
        List<EpisodeStats> tail = eps.subList(from, eps.size());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("episodes", tail.size());
        m.put("successRate", tail.isEmpty() ? 0.0 : tail.stream().filter(EpisodeStats::success).count()
                / (double) tail.size());
        m.put("meanReturn", tail.stream().mapToDouble(EpisodeStats::episodeReturn).average().orElse(0));
        return m;
    }

    /** Writes {@code doc} to {@code file} atomically (temporary file, then rename). */
    public static void write(Path file, Object doc) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".report-", ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), doc);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Episodes of every run report in {@code dir}, keyed "method seed S", sorted. Reports written before episodes
     * recorded failure and alarm steps read as failure step 0 and no alarms: fit for curves, not for gate figures.
     */
    public static Map<String, List<EpisodeStats>> readAll(Path dir) throws IOException {
        Map<String, List<EpisodeStats>> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("finetune-.*-seed\\d+\\.json")).sorted().toList();
        }
        for (Path f : files) {
            JsonNode n = JSON.readTree(f.toFile());
            List<EpisodeStats> eps = new ArrayList<>();
            for (JsonNode e : n.path("episodes")) {
                eps.add(JSON.treeToValue(e, EpisodeStats.class));
            }
            out.put(n.path("method").asText() + " seed " + n.path("seed").asText(), eps);
        }
        return out;
    }
}
