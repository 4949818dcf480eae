package io.farl.controller.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.session.Fakes.BatchLearner;
import io.farl.controller.session.Fakes.PullBack;
import io.farl.controller.session.Fakes.PushPolicy;
import io.farl.controller.session.Fakes.PushRobot;
import io.farl.controller.session.Fakes.ThresholdCost;
import io.farl.model.api.StepRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinetuneSessionTest {
    private final PullBack recovery = new PullBack();
    private final ThresholdCost cost = new ThresholdCost();

    @TempDir
    Path tmp;

    private FinetuneSession session(SessionConfig config, PushRobot robot, BatchLearner learner,
            CheckpointStore store) {
        ModelProposalSource source = new ModelProposalSource(config.method(), new PushPolicy(0, 0.5, 1), cost,
                recovery);
        return new FinetuneSession(config, robot, source, learner, learner, Fakes.factory(), store);
    }

    @Test
    void shouldEndTheEpisodeAtAnIrFailureAndCountItAsFailureStepAndFailureEpisode() throws IOException {
        BatchLearner learner = new BatchLearner(1000);
        FinetuneSession s = session(Fakes.config(SessionMethod.PPO, 1, 40, 0), new PushRobot(40), learner, null);
        SessionTotals t = s.run(SessionListener.NONE);

        EpisodeStats e = s.episodes().get(0);
        assertEquals(1, t.episodes());
        assertTrue(e.failureEpisode());
        assertEquals(1, e.irFailureSteps());
        assertFalse(e.truncated());
        assertTrue(e.steps() < 40, "the failure ended the episode early: " + e.steps());
        assertEquals(1, t.failureEpisodes());
        assertEquals(1, t.failureSteps());
        StepRecord last = learner.offered.get(learner.offered.size() - 1);
        assertTrue(last.irFailure() && last.terminated() && !last.truncated());
        assertEquals(e.steps(), learner.offered.size(), "every executed step reaches the learner");
        assertTrue(last.nextObservation()[0] > Fakes.BOUNDARY, "next observation is the state after the failure");
    }

    @Test
    void shouldRouteToRecoveryAboveEpsilonAndFlagTheStepsTheLearnerSees() throws IOException {
        BatchLearner learner = new BatchLearner(1000);
        FinetuneSession s = session(Fakes.config(SessionMethod.FARL, 1, 40, 0), new PushRobot(40), learner, null);
        s.run(SessionListener.NONE);

        EpisodeStats e = s.episodes().get(0);
        assertFalse(e.failureEpisode(), "the gate kept the hand inside the boundary");
        assertTrue(e.truncated());
        assertEquals(40, e.steps());
        assertTrue(e.recoverySteps() > 0);
        assertTrue(e.gateInterventions() > 0);
        assertTrue(recovery.calls > 0);
        int flagged = 0;
        for (StepRecord r : learner.offered) {
            if (r.recoveryActed()) {
                flagged++;
                assertEquals(-0.5f, r.executedAction()[0], 1e-6, "the recovery action executed");
                assertTrue(r.proposedAction()[0] > 0, "the task proposal is kept next to it");
            } else {
                assertArrayEquals(r.proposedAction(), r.executedAction(), 1e-6f);
            }
        }
        assertEquals(e.recoverySteps(), flagged);
        assertTrue(learner.offered.get(learner.offered.size() - 1).truncated());
    }

    @Test
    void shouldNeverConsultRecoveryOrCostModelWithPpo() throws IOException {
        BatchLearner learner = new BatchLearner(1000);
        FinetuneSession s = session(Fakes.config(SessionMethod.PPO, 100, 40, 0), new PushRobot(40), learner, null);
        s.run(SessionListener.NONE);

        assertEquals(0, recovery.calls);
        assertEquals(0, cost.calls);
        assertEquals(0, s.proposals().recoveryQueries());
        assertTrue(s.totals().failureEpisodes() > 0, "unfiltered exploration fails in this task");
        assertTrue(learner.offered.stream().noneMatch(StepRecord::recoveryActed));
    }

    @Test
    void shouldHoldInsteadOfRecoveringInTheHoldAblation() throws IOException {
        BatchLearner learner = new BatchLearner(1000);
        FinetuneSession s = session(Fakes.config(SessionMethod.FARL_HOLD, 1, 40, 0), new PushRobot(40), learner,
                null);
        s.run(SessionListener.NONE);

        EpisodeStats e = s.episodes().get(0);
        assertEquals(0, recovery.calls);
        assertFalse(e.failureEpisode());
        assertTrue(e.holdSteps() > 0);
        assertEquals(0, e.recoverySteps());
        assertTrue(learner.offered.stream().filter(StepRecord::recoveryActed).allMatch(r -> r.executedAction()[0] == 0));
    }

    @Test
    void shouldHoldAndAlarmWhenTheRecoveryActionIsUnsafeToo() throws IOException {
        cost.backwardCost = 1.0;
        BatchLearner learner = new BatchLearner(1000);
        FinetuneSession s = session(Fakes.config(SessionMethod.FARL, 1, 40, 0), new PushRobot(40), learner, null);
        s.run(SessionListener.NONE);

        EpisodeStats e = s.episodes().get(0);
        assertFalse(e.failureEpisode());
        assertEquals(0, e.recoverySteps());
        assertTrue(e.holdSteps() > 0);
        assertTrue(e.alarms() >= 1);
        assertEquals(e.alarms(), e.alarmSteps().size(), "one recorded step per alarm stretch");
        assertTrue(e.alarmSteps().get(0) >= 0 && e.alarmSteps().get(0) < e.steps(), e.toString());
        assertEquals(e.recoverySteps() + e.holdSteps(), e.overrideSteps(), "every non-TASK step is an override");
        assertEquals(-1, e.failureStep());
        assertEquals(e.alarms(), s.totals().alarms());
        assertEquals(e.overrideSteps(), s.totals().overrideSteps());
    }

    @Test
    void shouldRecordTheStepOfTheFailureAndTheStartOfEachAlarmStretch() throws IOException {
        BatchLearner learner = new BatchLearner(1000);
        FinetuneSession s = session(Fakes.config(SessionMethod.PPO, 1, 40, 0), new PushRobot(40), learner, null);
        s.run(SessionListener.NONE);
        EpisodeStats e = s.episodes().get(0);
        assertTrue(e.failureStepKnown());
        assertEquals(e.steps() - 1, e.failureStep(), "the failure ends the episode at its last executed step");
        assertEquals(List.of(), e.alarmSteps(), "no gate alarms without a gate");
        assertEquals(0, e.overrideSteps());
        assertEquals("TASK", e.failureMode(), "the task policy had the arm when it failed");
        assertEquals(-1, e.stepsSinceOverride(), "nothing was overridden before the failure");
        assertEquals(0, e.overrideStretch());
    }

    @Test
    void shouldGiveTheLearnerTheConfiguredRewardAndReportTheTasksOwnReturn() throws IOException {
        SessionConfig base = Fakes.config(SessionMethod.PPO, 120, 40, 0);
        BatchLearner shaped = new BatchLearner(1000);
        FinetuneSession a = session(base, new PushRobot(40), shaped, null);
        a.run(SessionListener.NONE);
        assertTrue(shaped.offered.stream().anyMatch(r -> r.reward() != 0), "the push earns a shaped reward");

        BatchLearner sparse = new BatchLearner(1000);
        FinetuneSession b = session(withReward(base, SessionReward.SPARSE), new PushRobot(40), sparse, null);
        b.run(SessionListener.NONE);
        assertEquals(shaped.offered.size(), sparse.offered.size());
        assertTrue(sparse.offered.stream().allMatch(r -> r.reward() == 0), "no success, so no sparse reward");
        assertEquals(a.episodes().get(0).episodeReturn(), b.episodes().get(0).episodeReturn(),
                "the reported return is the task's own reward");

        io.farl.model.api.StateReward tenX = new io.farl.model.api.StateReward() {
            @Override
            public double reward(float[] observation) {
                return 10 * observation[0];
            }

            @Override
            public int observationSize() {
                return new PushRobot(40).description().observationSize();
            }
        };
        BatchLearner learned = new BatchLearner(1000);
        FinetuneSession c = session(withReward(base, SessionReward.learned(tenX, "tw-crl")), new PushRobot(40),
                learned, null);
        c.run(SessionListener.NONE);
        for (StepRecord r : learned.offered) {
            assertEquals(10 * r.nextObservation()[0], r.reward(), 1e-5, "r(s') of the state the step reached");
        }
    }

    private static SessionConfig withReward(SessionConfig c, SessionReward reward) {
        return new SessionConfig(c.method(), c.loop(), c.seed(), c.firstEpisodeSeed(), c.stepBudget(),
                c.maxEpisodeSteps(), c.checkpointEveryUpdates(), c.checkpointEveryEpisodes(), reward);
    }

    @Test
    void shouldRoundTripEpisodeLinesAndReadTheFirstCheckpointFormat() {
        EpisodeStats e = new EpisodeStats(3, 103, 40, 160, -1.25, false, 1, false, 5, 2, 3, 2, 7, 0, 8, 39,
                List.of(4, 30));
        assertEquals(e, EpisodeStats.fromCsv(e.toCsv()));
        EpisodeStats none = new EpisodeStats(0, 100, 40, 40, 0.5, true, 0, false, 0, 0, 0, 0, 0, 0, 0, -1, List.of());
        assertEquals(none, EpisodeStats.fromCsv(none.toCsv()));
        EpisodeStats handedBack = new EpisodeStats(3, 103, 40, 160, -1.25, false, 1, false, 5, 2, 3, 2, 7, 0, 8, 39,
                List.of(4, 30), "TASK", 3, 0);
        assertEquals(handedBack, EpisodeStats.fromCsv(handedBack.toCsv()));
        handedBack = new EpisodeStats(3, 103, 40, 160, -1.25, false, 1, false, 5, 2, 3, 2, 7, 0, 8, 39,
                List.of(4, 30), "RECOVERY", 0, 9);
        assertEquals(handedBack, EpisodeStats.fromCsv(handedBack.toCsv()));
        EpisodeStats v2 = EpisodeStats.fromCsv("3,103,40,160,-1.25,false,1,false,5,2,3,2,7,0,8,39,4;30");
        assertEquals(39, v2.failureStep());
        assertEquals(List.of(4, 30), v2.alarmSteps());
        assertEquals("", v2.failureMode(), "the second format does not know who had the arm");
        assertEquals(-1, v2.stepsSinceOverride());
        assertEquals(0, v2.overrideStretch());
        EpisodeStats v1 = EpisodeStats.fromCsv("3,103,40,160,-1.25,false,1,false,5,2,3,2,7,0");
        assertEquals(8, v1.overrideSteps(), "recovery + hold steps");
        assertEquals(-1, v1.failureStep());
        assertFalse(v1.failureStepKnown(), "older checkpoints do not know the failure step");
        assertEquals(List.of(), v1.alarmSteps());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> EpisodeStats.fromCsv("1,2,3"));
        assertTrue(bad.getMessage().contains("20"), bad.getMessage());
    }

    @Test
    void shouldSwapInNewSnapshotsBetweenEpisodesAndSeedEachEpisode() throws IOException {
        PushRobot robot = new PushRobot(40);
        BatchLearner learner = new BatchLearner(50);
        FinetuneSession s = session(Fakes.config(SessionMethod.FARL, 200, 40, 0), robot, learner, null);
        s.run(SessionListener.NONE);

        List<EpisodeStats> eps = s.episodes();
        assertEquals(List.of(100L, 101L, 102L, 103L, 104L), robot.resets);
        assertEquals(0, eps.get(0).policyVersion());
        assertEquals(0, eps.get(1).policyVersion(), "40 steps: no full batch yet");
        assertEquals(1, eps.get(2).policyVersion());
        assertTrue(s.totals().updates() >= 3);
        assertTrue(s.totals().steps() >= 200);
    }

    @Test
    void shouldRepeatARunExactlyForTheSameSeed() throws IOException {
        FinetuneSession s1 = session(Fakes.config(SessionMethod.PPO, 300, 40, 0), new PushRobot(40),
                new BatchLearner(50), null);
        FinetuneSession s2 = session(Fakes.config(SessionMethod.PPO, 300, 40, 0), new PushRobot(40),
                new BatchLearner(50), null);
        s1.run(SessionListener.NONE);
        s2.run(SessionListener.NONE);
        assertEquals(s1.episodes(), s2.episodes());
        SessionConfig other = new SessionConfig(SessionMethod.PPO, Fakes.config(SessionMethod.PPO, 1, 40, 0).loop(),
                8, 100, 300, 1000, 0, 0);
        FinetuneSession s3 = session(other, new PushRobot(40), new BatchLearner(50), null);
        s3.run(SessionListener.NONE);
        assertNotEquals(s1.episodes(), s3.episodes(), "another seed draws other noise");
    }

    @Test
    void shouldResumeFromTheLatestCheckpointAndRepeatTheUninterruptedRun() throws IOException {
        FinetuneSession whole = session(Fakes.config(SessionMethod.FARL, 400, 40, 1), new PushRobot(40),
                new BatchLearner(50), new CheckpointStore(tmp.resolve("a"), 2));
        whole.run(SessionListener.NONE);

        CheckpointStore store = new CheckpointStore(tmp.resolve("b"), 2);
        FinetuneSession first = session(Fakes.config(SessionMethod.FARL, 150, 40, 1), new PushRobot(40),
                new BatchLearner(50), store);
        first.run(SessionListener.NONE);
        assertTrue(first.totals().updates() > 0);
        // a crash while writing the next checkpoint leaves a temporary directory behind
        Files.createDirectories(store.root().resolve(".tmp-ckpt-crashed"));

        BatchLearner learner = new BatchLearner(50);
        CheckpointStore reopened = new CheckpointStore(tmp.resolve("b"), 2);
        FinetuneSession resumed = session(Fakes.config(SessionMethod.FARL, 400, 40, 1), new PushRobot(40), learner,
                reopened);
        assertTrue(resumed.resume());
        assertEquals(1, learner.restores);
        assertEquals(first.totals(), resumed.totals());
        resumed.run(SessionListener.NONE);

        assertEquals(whole.episodes(), resumed.episodes());
        assertEquals(whole.totals(), resumed.totals());
        assertFalse(Files.exists(store.root().resolve(".tmp-ckpt-crashed")));
        assertEquals(2, reopened.list().size(), "only the newest two are kept");
    }

    @Test
    void shouldRefuseToResumeASessionOfAnotherMethod() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 2);
        session(Fakes.config(SessionMethod.FARL, 40, 40, 1), new PushRobot(40), new BatchLearner(50), store)
                .run(SessionListener.NONE);
        FinetuneSession ppo = session(Fakes.config(SessionMethod.PPO, 40, 40, 1), new PushRobot(40),
                new BatchLearner(50), store);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ppo::resume);
        assertTrue(e.getMessage().contains("method"), e.getMessage());
    }

    @Test
    void shouldStartFreshWhenThereIsNoCheckpoint() throws IOException {
        FinetuneSession s = session(Fakes.config(SessionMethod.FARL, 40, 40, 1), new PushRobot(40),
                new BatchLearner(50), new CheckpointStore(tmp, 2));
        assertFalse(s.resume());
        assertEquals(SessionTotals.ZERO, s.totals());
    }
    @Test
    void shouldOfferATerminatedFinalStepEvenWithoutALaterObservation() throws IOException {
        PushRobot robot = new PushRobot(40);
        robot.silentAfterEnd = true;
        BatchLearner learner = new BatchLearner(1000);
        FinetuneSession s = session(Fakes.config(SessionMethod.PPO, 1, 40, 0), robot, learner, null);
        s.run(SessionListener.NONE);

        EpisodeStats e = s.episodes().get(0);
        assertTrue(e.failureEpisode() && !e.truncated());
        assertEquals(0, e.droppedTransitions());
        assertEquals(e.steps(), learner.offered.size(), "the failure step reaches the learner");
        StepRecord last = learner.offered.get(learner.offered.size() - 1);
        assertTrue(last.irFailure() && last.terminated() && !last.truncated());
        // not bootstrapped from: the step's own observation stands in for the reading that never came
        assertArrayEquals(last.observation(), last.nextObservation(), 0f);
    }

    @Test
    void shouldCountATruncatedFinalStepDroppedForWantOfANextObservation() throws IOException {
        PushRobot robot = new PushRobot(40);
        robot.silentAfterEnd = true;
        BatchLearner learner = new BatchLearner(1000);
        FinetuneSession s = session(Fakes.config(SessionMethod.FARL, 1, 40, 0), robot, learner, null);
        s.run(SessionListener.NONE);

        EpisodeStats e = s.episodes().get(0);
        assertTrue(e.truncated());
        assertEquals(1, e.droppedTransitions(), "the last step has no next observation to bootstrap from");
        assertEquals(e.steps() - 1, learner.offered.size());
        assertTrue(learner.offered.stream().noneMatch(StepRecord::done));
    }

    @Test
    void shouldAccountForTheLastStepWhenTheCellStopsExecuting() throws IOException {
        for (boolean silent : new boolean[] {false, true}) {
            PushRobot robot = new PushRobot(40);
            robot.refuseFromStep = 5;
            BatchLearner learner = new BatchLearner(1000);
            SessionConfig c = new SessionConfig(SessionMethod.PPO, Fakes.config(SessionMethod.PPO, 1, 40, 0).loop(),
                    7, 100, 1, 60, 0, 0);
            FinetuneSession s = session(c, robot, learner, null);
            robot.silentAfterEnd = silent;
            s.run(SessionListener.NONE);

            EpisodeStats e = s.episodes().get(0);
            assertTrue(e.truncated());
            assertEquals(5, e.steps());
            assertEquals(e.steps(), learner.offered.size() + e.droppedTransitions(),
                    "every executed step is offered or counted as dropped (silent " + silent + ")");
            if (learner.offered.size() == e.steps()) {
                assertTrue(learner.offered.get(4).truncated() && !learner.offered.get(4).terminated());
            }
        }
    }
}
