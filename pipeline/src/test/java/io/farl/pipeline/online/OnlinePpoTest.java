package io.farl.pipeline.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.farl.controller.session.SessionMethod;
import io.farl.model.api.PpoConfig;
import io.farl.model.api.RecoveryStorage;
import io.farl.robot.sim.TaskId;
import org.junit.jupiter.api.Test;

class OnlinePpoTest {

    @Test
    void shouldUseUniO4sOnlinePhaseByDefaultAndOfferFasterSteps() {
        PpoConfig fast = OnlinePpo.named("fast").config(RecoveryStorage.MASKED, 3);
        assertEquals(1000, fast.batchSteps());
        assertEquals(125, fast.minibatchSize());
        assertEquals(1e-4, fast.actorLearningRate());
        assertEquals(0.1, fast.clipRatio());
        assertFalse(fast.normaliseObservations());
        assertEquals(OnlineRun.ppoConfig(RecoveryStorage.PENALISED_PROPOSAL, 7),
                OnlinePpo.named("uni-o4").config(RecoveryStorage.PENALISED_PROPOSAL, 7));
        PpoConfig uni = OnlineRun.ppoConfig(RecoveryStorage.PENALISED_PROPOSAL, 7);
        assertEquals(2048, uni.batchSteps());
        assertEquals(128, uni.minibatchSize());
        assertEquals(2e-5, uni.actorLearningRate());
        assertEquals(0.05, uni.clipRatio());
        assertEquals(10, uni.epochs());
        assertEquals(RecoveryStorage.PENALISED_PROPOSAL, uni.recoveryStorage());
        assertEquals(7, uni.seed());
        assertFalse(uni.normaliseObservations());
        assertThrows(IllegalArgumentException.class, () -> OnlinePpo.named("adam"));
    }

    @Test
    void shouldCarryThePpoSettingsInARunSpec() {
        OnlineRun.Spec spec = new OnlineRun.Spec(TaskId.BOUNDED_PUSH, SessionMethod.PPO, 1, 100,
                RecoveryStorage.MASKED, null, 1.0, null, 0, 0);
        assertEquals(OnlinePpo.UNI_O4, spec.ppo());
        assertEquals(OnlinePpo.FAST, spec.withPpo(OnlinePpo.FAST).ppo());
        assertEquals(spec.seed(), spec.withPpo(OnlinePpo.FAST).seed());
    }
}
