package io.farl.controller.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.Episode;
import io.farl.controller.deploy.OnlineLearning;
import io.farl.controller.loop.Proposal;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.StepRecord;
import io.farl.robot.api.Observation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OnlineLearning}: the learner thread of {@code farl run --finetune}, with the fake batch learner. */
class OnlineLearningTest {
    private static final double[] OBS = {0.1, 0, 0, 0};
    private static final double[] ACTION = {0.5, 0, 0, 0};

    @TempDir
    Path tmp;

    /** The fake learner, safe for an offering thread and the learner thread at once. */
    private static final class SyncLearner implements Learner, Checkpointable {
        final Fakes.BatchLearner inner;
        volatile boolean poisoned;

        SyncLearner(int batch) {
            inner = new Fakes.BatchLearner(batch);
        }

        @Override
        public synchronized boolean offer(StepRecord step) {
            return inner.offer(step);
        }

        @Override
        public synchronized LearnerUpdate update() {
            return inner.update();
        }

        @Override
        public synchronized Optional<PolicySnapshot> latestSnapshot() {
            Optional<PolicySnapshot> s = inner.latestSnapshot();
            if (!poisoned || s.isEmpty()) {
                return s;
            }
            ParameterSet nan = new ParameterSet(Map.of("bias", new NamedArray(new int[] {1}, new float[] {Float.NaN})));
            return Optional.of(new PolicySnapshot(s.get().version(), 0, nan, PolicyNetworkConfig.defaults(4, 4)));
        }

        @Override
        public void close() {
        }

        @Override
        public synchronized void saveState(Path dir) throws IOException {
            inner.saveState(dir);
        }

        @Override
        public synchronized void restoreState(Path dir) throws IOException {
            inner.restoreState(dir);
        }
    }

    private static ModelProposalSource source() {
        return new ModelProposalSource(SessionMethod.PPO, new Fakes.PushPolicy(0, 0.5, 1), null, null);
    }

    private static Episode.Step step(int index, double reward, boolean terminated, boolean truncated) {
        return new Episode.Step(index, index, OBS, ACTION, ACTION, reward, false, terminated, Episode.Mode.TASK,
                OptionalDouble.empty(), List.of(), 0, OptionalDouble.of(-1.5), OBS, terminated, truncated);
    }

    private static Proposal proposal() {
        return new Proposal(0, 0, ACTION, 0, ACTION, 0, -1.5, 0);
    }

    private static long proposedVersion(ModelProposalSource source) {
        return source.propose(new Observation(0, 1, OBS)).policyVersion();
    }

    private static void awaitVersion(OnlineLearning learning, long version) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (learning.stats().policyVersion() < version && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(version, learning.stats().policyVersion(), learning.stats().toString());
    }

    @Test
    void shouldTrainOnRecordedStepsAndActWithTheNewPolicyFromTheNextProposal() throws Exception {
        SyncLearner learner = new SyncLearner(4);
        ModelProposalSource source = source();
        CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"), 2);
        OnlineLearning learning = new OnlineLearning(learner, learner, store, 0, Fakes.factory(), source, 100);
        learning.start();
        assertEquals(0, proposedVersion(source));
        learning.recorded(step(0, 1, false, false), null, true); // a hold before any proposal
        learning.recorded(step(1, 1, false, true), proposal(), false); // cut without a next observation
        for (int i = 0; i < 3; i++) {
            learning.recorded(step(i, 1, false, false), proposal(), true);
        }
        learning.recorded(step(3, 11, true, false), proposal(), false); // a terminal step needs no next observation
        awaitVersion(learning, 1);
        assertEquals(1, proposedVersion(source), "the proposal after the update acts with version 1");
        learning.close();
        OnlineLearning.Stats s = learning.stats();
        assertEquals(4, s.stepsOffered());
        assertEquals(2, s.stepsSkipped());
        assertEquals(1, s.updates());
        assertEquals(1, s.policiesSwapped());
        assertEquals(1, s.checkpoints(), "the final checkpoint");
        assertEquals(11, learner.inner.offered.get(3).reward(), "the recorded reward reaches the learner");
        assertTrue(learner.inner.offered.get(3).terminated());
    }

    @Test
    void shouldRewardTheLearnerWithTheTrainingRewardAndLeaveTheRecordedOneAlone() throws Exception {
        SyncLearner learner = new SyncLearner(4);
        OnlineLearning learning = new OnlineLearning(learner, learner, null, 0, Fakes.factory(), source(), 100);
        learning.trainingReward(SessionReward.SPARSE);
        learning.start();
        for (int i = 0; i < 3; i++) {
            learning.recorded(step(i, 2.5, false, false), proposal(), true);
        }
        learning.recorded(step(3, 11, true, false), proposal(), false); // reaches the goal
        awaitVersion(learning, 1);
        learning.close();
        for (int i = 0; i < 3; i++) {
            assertEquals(0.0, learner.inner.offered.get(i).reward(), "sparse: nothing before the goal");
        }
        assertEquals(1.0, learner.inner.offered.get(3).reward(), "sparse: 1 on the goal");
        assertEquals(SessionReward.SPARSE, learning.trainingReward());
    }

    @Test
    void shouldResumeWithThePolicyVersionItHadReached() throws Exception {
        CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"), 2);
        SyncLearner first = new SyncLearner(2);
        OnlineLearning a = new OnlineLearning(first, first, store, 1, Fakes.factory(), source(), 100);
        a.start();
        for (int i = 0; i < 4; i++) {
            a.recorded(step(i, 1, false, false), proposal(), true);
        }
        awaitVersion(a, 2);
        a.close();

        SyncLearner second = new SyncLearner(2);
        ModelProposalSource source = source();
        OnlineLearning b = new OnlineLearning(second, second, store, 1, Fakes.factory(), source, 100);
        assertTrue(b.resume());
        assertNotNull(b.stats().resumedFrom());
        assertEquals(2, proposedVersion(source), "never a freshly initialised policy after a restart");
        b.close();
    }

    @Test
    void shouldCheckpointEachVersionBeforeItActsAndResumeWithTheOneThatActedLast() throws Exception {
        CheckpointStore store = new CheckpointStore(tmp.resolve("durable"), 3);
        SyncLearner first = new SyncLearner(2);
        ModelProposalSource acting = source();
        OnlineLearning a = new OnlineLearning(first, first, store, 0, Fakes.factory(), acting, 100);
        a.durableSwaps(true);
        a.start();
        for (int i = 0; i < 4; i++) {
            a.recorded(step(i, 1, false, false), proposal(), true);
        }
        awaitVersion(a, 2);
        assertEquals(2, a.stats().checkpoints(), "one checkpoint per update, without checkpointEveryUpdates");
        assertEquals(2, store.list().size(), "each version was on disk before it was offered");
        a.close();

        // a restart that knows version 1 acted last (the session's log) resumes with 1, not the newest checkpoint
        SyncLearner second = new SyncLearner(2);
        ModelProposalSource source = source();
        OnlineLearning b = new OnlineLearning(second, second, store, 0, Fakes.factory(), source, 100);
        assertTrue(b.resume(1));
        assertEquals(1, proposedVersion(source));
        assertTrue(b.stats().resumedFrom().endsWith("000000001"), b.stats().resumedFrom());
        b.close();
        SyncLearner third = new SyncLearner(2);
        ModelProposalSource newest = source();
        OnlineLearning c = new OnlineLearning(third, third, store, 0, Fakes.factory(), newest, 100);
        assertTrue(c.resume(7), "a version no checkpoint holds: the newest");
        assertEquals(2, proposedVersion(newest));
        c.close();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> new OnlineLearning(
                third, third, null, 0, Fakes.factory(), source(), 100).durableSwaps(true));
    }

    @Test
    void shouldRefuseASnapshotWithNonFiniteParametersAndKeepActing() throws Exception {
        SyncLearner learner = new SyncLearner(2);
        learner.poisoned = true;
        ModelProposalSource source = source();
        OnlineLearning learning = new OnlineLearning(learner, null, null, 0, Fakes.factory(), source, 100);
        learning.start();
        learning.recorded(step(0, 1, false, false), proposal(), true);
        learning.recorded(step(1, 1, false, false), proposal(), true);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (learning.stats().snapshotsRejected() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        learning.close();
        assertEquals(1, learning.stats().snapshotsRejected());
        assertEquals(0, learning.stats().policiesSwapped());
        assertEquals(0, proposedVersion(source), "the acting policy stays the one that was running");
    }
}
