package io.farl.robot.sim;

/**
 * Runs a scripted demonstrator over consecutive seeds and counts outcomes: the check that experts succeed,
 * failure generators fail and recovery demonstrators recover at the intended rates.
 */
public final class DemoEvaluation {

    private DemoEvaluation() {
    }

    /**
     * Runs {@code episodes} episodes with seeds {@code firstSeed, firstSeed + 1, ...}; RECOVERY episodes start near
     * a failure, the others at a task start. The demonstrator of episode {@code s} is seeded with {@code s}.
     */
    public static DemoStats evaluate(TaskId task, DemoKind kind, long firstSeed, int episodes, SimConfig config) {
        if (episodes <= 0) {
            throw new IllegalArgumentException("episodes must be > 0, got " + episodes);
        }
        int successes = 0;
        int failures = 0;
        int safeReached = 0;
        int timeouts = 0;
        long steps = 0;
        long started = System.nanoTime();
        try (FailureBenchEnv env = FailureBenchEnv.create(task, config)) {
            for (int e = 0; e < episodes; e++) {
                long seed = firstSeed + e;
                double[] obs = kind == DemoKind.RECOVERY ? env.resetNearFailure(seed) : env.reset(seed);
                Demonstrator demo = Demonstrators.create(task, kind, seed, env);
                boolean safe = false;
                StepResult r;
                do {
                    r = env.step(demo.act(obs));
                    obs = r.observation();
                    safe |= r.safe();
                    steps++;
                } while (!r.done());
                successes += r.success() ? 1 : 0;
                failures += r.irFailure() ? 1 : 0;
                timeouts += r.truncated() ? 1 : 0;
                safeReached += safe ? 1 : 0;
            }
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - started) * 1e-9);
        return new DemoStats(task, kind, episodes, successes, failures, safeReached, timeouts,
                (double) steps / episodes, steps / seconds);
    }
}
