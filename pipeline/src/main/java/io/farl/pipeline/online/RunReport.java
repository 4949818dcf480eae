package io.farl.pipeline.online;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.controller.session.EpisodeStats;
import io.farl.controller.session.SessionTotals;
import io.farl.pipeline.bench.GateFigures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code finetune-METHOD-seedS.json}: one fine-tuning run's configuration, totals, per-episode statistics and the
 * gate's online figures. Written by {@code farl finetune} and, per run, by {@code farl bench failurebench}.
 *
 * @param task             FailureBench task
 * @param method           session method
 * @param seed             session seed
 * @param stepBudget       step budget (whole episodes)
 * @param recoveryStorage  what PPO trained on where recovery acted
 * @param epsilonSafe      gate threshold; null when not gated
 * @param horizonSteps     the world model's calibrated C_H horizon
 * @param init             the pretrained models' folder
 * @param learner          the online learner
 * @param resumed          the run continued from a checkpoint
 * @param wallSeconds      wall time of this process's part
 * @param stepsThisProcess steps run by this process
 * @param stepsPerSecond   stepsThisProcess / wallSeconds
 * @param proposalFailures steps without a usable proposal
 * @param loopErrors       control-loop errors
 * @param learnerRejects   transitions the learner's queue refused
 * @param totals           totals over every episode (restored ones included)
 * @param finalWindow      success rate and mean return of the last {@link #WINDOW} episodes (JSON {@code final})
 * @param gate             the gate's online figures; null when not gated
 * @param episodes         every episode
 * @param benchMethod      the benchmark's method name; null outside {@code farl bench failurebench}
 */
public record RunReport(String task, String method, long seed, long stepBudget, String recoveryStorage,
        Double epsilonSafe, int horizonSteps, String init, String learner, boolean resumed, double wallSeconds,
        long stepsThisProcess, double stepsPerSecond, long proposalFailures, long loopErrors, long learnerRejects,
        SessionTotals totals, @JsonProperty("final") FinalWindow finalWindow, GateFigures gate,
        List<EpisodeStats> episodes, String benchMethod) {

    /** Episodes in the moving window of success rate and return. */
    public static final int WINDOW = 20;

    /** Reads old reports too: fields added since are not required. */
    private static final ObjectMapper LENIENT = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public RunReport {
        episodes = List.copyOf(episodes);
    }

    /**
     * Success rate and mean return over the last {@link #WINDOW} episodes.
     *
     * @param episodes    episodes in the window
     * @param successRate successful ones / episodes (0 when there were none)
     * @param meanReturn  mean undiscounted return (0 when there were none)
     */
    public record FinalWindow(int episodes, double successRate, double meanReturn) {
        public static FinalWindow of(List<EpisodeStats> eps) {
            List<EpisodeStats> tail = eps.subList(Math.max(0, eps.size() - WINDOW), eps.size());
            return new FinalWindow(tail.size(), tail.isEmpty() ? 0.0 : tail.stream().filter(EpisodeStats::success)
                    .count() / (double) tail.size(), tail.stream().mapToDouble(EpisodeStats::episodeReturn).average()
                    .orElse(0));
        }
    }

    /** The report of a finished run. */
    public static RunReport of(OnlineRun.Result r, InitModels models, String learner) {
        OnlineRun.Spec s = r.spec();
        boolean gated = s.method().gated();
        return new RunReport(s.task().cliName(), s.method().cliName(), s.seed(), s.steps(),
                s.recoveryStorage().name().toLowerCase(Locale.ROOT), gated ? s.epsilonSafe() : null,
                models.rollout().horizonSteps(), models.root().toString(), learner, r.resumed(), r.wallSeconds(),
                r.stepsThisProcess(), r.stepsPerSecond(), r.proposalFailures(), r.loopErrors(), r.learnerRejects(),
                r.totals(), FinalWindow.of(r.episodes()), gated ? GateFigures.of(r.episodes()) : null, r.episodes(),
                null);
    }

    /** The same report naming the benchmark method that ran. */
    public RunReport withBenchMethod(String name) {
        return new RunReport(task, method, seed, stepBudget, recoveryStorage, epsilonSafe, horizonSteps, init,
                learner, resumed, wallSeconds, stepsThisProcess, stepsPerSecond, proposalFailures, loopErrors,
                learnerRejects, totals, finalWindow, gate, episodes, name);
    }

    /** File name of a run's report inside the output directory. */
    public static String fileName(String method, long seed) {
        return "finetune-" + method + "-seed" + seed + ".json";
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
            JsonNode n = LENIENT.readTree(f.toFile());
            List<EpisodeStats> eps = new ArrayList<>();
            for (JsonNode e : n.path("episodes")) {
                eps.add(LENIENT.treeToValue(e, EpisodeStats.class));
            }
            out.put(n.path("method").asText() + " seed " + n.path("seed").asText(), eps);
        }
        return out;
    }
}
