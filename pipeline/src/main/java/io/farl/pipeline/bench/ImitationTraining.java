package io.farl.pipeline.bench;

import io.farl.controller.session.SessionMethod;
import io.farl.controller.session.SessionTotals;
import io.farl.model.api.DiscriminatorConfig;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.RecoveryStorage;
import io.farl.model.api.TransitionData;
import io.farl.model.jvm.ConfigProperties;
import io.farl.model.jvm.JvmGaussianPolicy;
import io.farl.model.jvm.ModelDirectory;
import io.farl.pipeline.Json;
import io.farl.pipeline.online.ImitationLearner;
import io.farl.pipeline.online.InitModels;
import io.farl.pipeline.online.OnlinePpo;
import io.farl.pipeline.online.OnlineRun;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code farl train imitation}: GAIL or GAILFE online in the simulator, from a pretrained task policy, imitating the
 * expert demonstrations of a dataset (GAILFE also starts its failure buffer from the dataset's failure
 * demonstrations). Writes the final policy as a model directory, the run's report with the discriminator's iterations
 * and the evaluation success before, during and after.
 */
public final class ImitationTraining {

    /**
     * What {@code OUT/imitation-<method>-seed<S>.json} holds.
     *
     * @param expertEpisodes        expert demonstrations imitated
     * @param failureDemonstrations failure demonstrations GAILFE's buffer started with (0 for GAIL)
     * @param agentFailures         episodes of the run that ended in an IR failure
     * @param evalCurve             evaluation success every {@code evalEvery} steps
     * @param iterations            the discriminator's iterations (one per PPO batch)
     * @param policy                the final policy's model directory; null when PPO never updated
     * @param resumed               the run continued from a checkpoint (the evaluation curve then holds only the
     *                              points measured after it)
     */
    public record Report(String task, String method, long seed, String models, boolean resumed, long stepsAsked,
            long steps,
            int episodes, long failureEpisodes, double failuresPer1000Steps, long successes, long updates,
            int expertEpisodes, int failureDemonstrations, int agentFailures, DiscriminatorConfig discriminator,
            EvalResult evalBefore, EvalResult evalAfter, List<EvalCurve.Point> evalCurve,
            List<ImitationLearner.Iteration> iterations, String policy, double wallSeconds) {
    }

    /**
     * @param evalEpisodes  layouts of the evaluations before and after
     * @param evalEvery     steps between evaluations during the run (0: none)
     * @param curveEpisodes layouts of each of those
     * @param checkpoints   the run's checkpoints (resumed from when there are some), or null for none
     */
    public record Settings(TaskId task, boolean failures, long steps, long seed, int evalEpisodes, long evalEvery,
            int curveEpisodes, OnlinePpo ppo, Path checkpoints) {
    }

    private ImitationTraining() {
    }

    /** Runs and writes the report and the final policy under {@code out}. */
    public static Report run(InitModels models, TransitionData data, Settings s, Path out) throws IOException {
        long t0 = System.nanoTime();
        OnlineRun.Spec spec = new OnlineRun.Spec(s.task(), SessionMethod.PPO, s.seed(), s.steps(),
                RecoveryStorage.MASKED, null, models.epsilonSafe(), s.checkpoints(), s.checkpoints() == null ? 0 : 1,
                s.checkpoints() == null ? 0 : 20, s.ppo());
        EvalResult before = EvalResult.evaluate(s.task(), models.taskPolicy(0), s.evalEpisodes());
        ImitationLearner learner = ImitationLearner.create(models, spec, data, s.failures());
        EvalCurve.Recorder curve = new EvalCurve.Recorder(s.task(), learner, s.evalEvery(), s.curveEpisodes());
        int failureDemos = s.failures() ? data.selectSources(EpisodeSource.FAILURE).episodeCount() : 0;
        // the run closes the learner; its figures stay readable
        OnlineRun.Result r = OnlineRun.run(models, spec, curve, learner);
        List<ImitationLearner.Iteration> iterations = learner.iterations();
        int agentFailures = learner.agentFailures();
        PolicySnapshot last = r.finalPolicy();
        EvalResult after = last == null ? before
                : EvalResult.evaluate(s.task(), JvmGaussianPolicy.fromSnapshot(last, 0), s.evalEpisodes());
        Path policy = last == null ? null : writePolicy(out.resolve("task-policy"), last, after);
        SessionTotals t = r.totals();
        String method = s.failures() ? "gailfe" : "gail";
        Report report = new Report(s.task().cliName(), method, s.seed(), models.root().toString(), r.resumed(),
                s.steps(),
                t.steps(), t.episodes(), t.failureEpisodes(), Stats.per1000(t.failureEpisodes(), t.steps()),
                t.successes(), t.updates(), data.selectSources(EpisodeSource.EXPERT).episodeCount(), failureDemos,
                agentFailures, learner.config(), before, after, curve.points(), iterations,
                policy == null ? null : policy.toString(), (System.nanoTime() - t0) / 1e9);
        Json.write(out.resolve(fileName(method, s.seed())), report);
        return report;
    }

    /** {@code imitation-<method>-seed<S>.json}. */
    public static String fileName(String method, long seed) {
        return "imitation-" + method + "-seed" + seed + ".json";
    }

    private static Path writePolicy(Path root, PolicySnapshot s, EvalResult after) {
        Properties p = new Properties();
        ConfigProperties.put(p, "policy.", s.networkConfig());
        return ModelDirectory.write(root, ModelDirectory.POLICY_KIND, s.parameters(), p,
                Map.of("evalSuccessRate", after.successRate(), "policyVersion", (double) s.version()));
    }
}
