package io.farl.robot.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Demonstrator rates on a small fixed seed set (10 seeds, 1000..1009, apart from the seeds 0..99 the scripts were
 * tuned on). The targets over 100 seeds are: expert success >= 90% without failure, failure generator IR failure
 * >= 50%, recovery success >= 90%. With 10 seeds one unlucky episode moves a rate by 10 points, so the bounds here
 * are one episode wider: expert >= 8/10, failure >= 4/10, recovery >= 8/10.
 */
class DemonstratorRatesTest {

    private static final long FIRST_SEED = 1000;
    private static final int EPISODES = 10;

    @ParameterizedTest
    @EnumSource(TaskId.class)
    void shouldLetTheExpertSucceedWithoutFailure(TaskId task) {
        DemoStats s = DemoEvaluation.evaluate(task, DemoKind.EXPERT, FIRST_SEED, EPISODES, SimConfig.defaults());
        assertTrue(s.successes() >= 8, s.toString());
        assertTrue(s.irFailures() <= 2, s.toString());
    }

    @ParameterizedTest
    @EnumSource(TaskId.class)
    void shouldLetTheFailureGeneratorEndMostlyInIrFailure(TaskId task) {
        DemoStats s = DemoEvaluation.evaluate(task, DemoKind.FAILURE, FIRST_SEED, EPISODES, SimConfig.defaults());
        assertTrue(s.irFailures() >= 4, s.toString());
        assertTrue(s.irFailures() < EPISODES || s.successes() + s.timeouts() == 0, s.toString());
    }

    @ParameterizedTest
    @EnumSource(TaskId.class)
    void shouldLetTheRecoveryDemonstratorReachASafeState(TaskId task) {
        DemoStats s = DemoEvaluation.evaluate(task, DemoKind.RECOVERY, FIRST_SEED, EPISODES, SimConfig.defaults());
        assertTrue(s.successes() >= 8, s.toString());
        assertTrue(s.safeReached() >= s.successes(), s.toString());
    }
}
