package io.farl.pipeline.bench;

import io.farl.controller.session.EpisodeStats;
import io.farl.controller.session.SessionListener;
import io.farl.controller.session.SessionMethod;
import io.farl.model.api.RecoveryStorage;
import io.farl.pipeline.online.FrozenLearner;
import io.farl.pipeline.online.GateHandback;
import io.farl.pipeline.online.InitModels;
import io.farl.pipeline.online.OnlineRun;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.util.List;

/**
 * What the gate itself changes, measured on paired episodes: the pretrained task policy acts without learning, once
 * through the gate and once without it (PPO's ungated loop), with the same layouts and the same exploration noise per
 * episode. Until the gate first intervenes in an episode both runs take identical steps, so every difference in an
 * episode's outcome is caused by the gate: a failure the ungated run suffers and the gated one does not is
 * <i>prevented</i>, the reverse is <i>caused</i>. Far fewer episodes tell the two apart than comparing failure counts
 * of two learning runs, whose policies drift apart after the first update.
 *
 * @param task                task
 * @param method              gated method (farl, farl-filter, farl-hold)
 * @param seed                session seed (layouts and noise)
 * @param pairs               episodes compared (by index, up to the shorter run)
 * @param gatedSteps          steps of the gated run over the paired episodes
 * @param ungatedSteps        steps of the ungated run over the paired episodes
 * @param gatedFailures       IR-failure episodes with the gate
 * @param ungatedFailures     IR-failure episodes without it
 * @param prevented           pairs where only the ungated run failed
 * @param caused              pairs where only the gated run failed
 * @param failedDespite       pairs where both failed although the gate intervened (too late, or recovery failed)
 * @param missed              pairs where both failed and the gate never intervened (identical episodes)
 * @param gatedSuccesses      successes with the gate
 * @param ungatedSuccesses    successes without it
 * @param intervened          pairs in which the gate overrode at least one step
 * @param overrideSteps       steps the gate overrode (recovery or hold)
 * @param untouchedMismatches pairs without any intervention whose outcomes differ: 0 unless the pairing is broken
 * @param signTestP           exact two-sided sign test of prevented against caused (McNemar); 1 when both are 0
 * @param ratio               failure ratio gated/ungated with its 95 % interval (Poisson on the counts)
 * @param gatedLeadUp         who had the arm when the gated run's failures happened
 */
public record GateEffect(String task, String method, long seed, int pairs, long gatedSteps, long ungatedSteps,
        int gatedFailures, int ungatedFailures, int prevented, int caused, int failedDespite, int missed,
        int gatedSuccesses, int ungatedSuccesses,
        int intervened, long overrideSteps, int untouchedMismatches, double signTestP, RateRatio ratio,
        FailureLeadUp gatedLeadUp) {

    public double overrideRate() {
        return gatedSteps == 0 ? 0 : (double) overrideSteps / gatedSteps;
    }

    /** Runs both sides for {@code steps} steps each and pairs their episodes. */
    public static GateEffect measure(InitModels models, TaskId task, SessionMethod method, long seed, long steps)
            throws IOException {
        return measure(models, task, method, seed, steps, GateHandback.DEFAULT);
    }

    /** The same with the given hand-back rule on the gated side. */
    public static GateEffect measure(InitModels models, TaskId task, SessionMethod method, long seed, long steps,
            GateHandback handback) throws IOException {
        if (!method.gated()) {
            throw new IllegalArgumentException("the gated side must be a gated method, got " + method);
        }
        List<EpisodeStats> gated = run(models, task, method, seed, steps, handback);
        List<EpisodeStats> ungated = run(models, task, SessionMethod.PPO, seed, steps, handback);
        return pair(task.cliName(), method.cliName(), seed, gated, ungated);
    }

    private static List<EpisodeStats> run(InitModels models, TaskId task, SessionMethod method, long seed, long steps,
            GateHandback handback) throws IOException {
        OnlineRun.Spec spec = new OnlineRun.Spec(task, method, seed, steps, RecoveryStorage.MASKED,
                models::worldModelCost, models.epsilonSafe(), null, 0, 0).withHandback(handback);
        return OnlineRun.run(models, spec, SessionListener.NONE, new FrozenLearner()).episodes();
    }

    /** Pairs two runs' episodes by index. */
    public static GateEffect pair(String task, String method, long seed, List<EpisodeStats> gated,
            List<EpisodeStats> ungated) {
        int n = Math.min(gated.size(), ungated.size());
        long gSteps = 0;
        long uSteps = 0;
        int gFail = 0;
        int uFail = 0;
        int prevented = 0;
        int caused = 0;
        int despite = 0;
        int missed = 0;
        int gSucc = 0;
        int uSucc = 0;
        int intervened = 0;
        long overrides = 0;
        int mismatches = 0;
        for (int i = 0; i < n; i++) {
            EpisodeStats g = gated.get(i);
            EpisodeStats u = ungated.get(i);
            if (g.seed() != u.seed()) {
                throw new IllegalArgumentException("episode " + i + " has layout " + g.seed() + " gated and "
                        + u.seed() + " ungated: the runs are not paired");
            }
            gSteps += g.steps();
            uSteps += u.steps();
            boolean gf = g.failureEpisode();
            boolean uf = u.failureEpisode();
            gFail += gf ? 1 : 0;
            uFail += uf ? 1 : 0;
            gSucc += g.success() ? 1 : 0;
            uSucc += u.success() ? 1 : 0;
            overrides += g.overrideSteps();
            if (g.overrideSteps() == 0) {
                boolean same = g.steps() == u.steps() && gf == uf && g.success() == u.success();
                mismatches += same ? 0 : 1;
                missed += gf && uf ? 1 : 0;
                continue;
            }
            intervened++;
            prevented += uf && !gf ? 1 : 0;
            caused += gf && !uf ? 1 : 0;
            despite += gf && uf ? 1 : 0;
        }
        return new GateEffect(task, method, seed, n, gSteps, uSteps, gFail, uFail, prevented, caused, despite, missed,
                gSucc, uSucc,
                intervened, overrides, mismatches, signTest(prevented, caused),
                Stats.rateRatio(gFail, gSteps, uFail, uSteps), FailureLeadUp.of(gated.subList(0, n)));
    }

    /** Exact two-sided binomial test of {@code b} against {@code c} at p = 1/2. */
    static double signTest(int b, int c) {
        int n = b + c;
        if (n == 0) {
            return 1;
        }
        int k = Math.min(b, c);
        double tail = 0;
        double logHalfN = n * Math.log(0.5);
        for (int i = 0; i <= k; i++) {
            tail += Math.exp(logChoose(n, i) + logHalfN);
        }
        return Math.min(1, 2 * tail);
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }
}
