package io.farl.model.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void shouldRejectInvalidConfigs() {
        assertThrows(IllegalArgumentException.class, () -> WorldModelConfig.builder(39, 4).sizes(60, 256).build());
        assertThrows(IllegalArgumentException.class, () -> WorldModelConfig.builder(0, 4).build());
        assertThrows(IllegalArgumentException.class, () -> new CostRolloutConfig(5, 1.5, RolloutActionSource.POLICY_PRIOR));
        assertThrows(IllegalArgumentException.class, () -> PpoConfig.defaults().withBatch(64, 128, 1));
        assertThrows(IllegalArgumentException.class, () -> PpoConfig.defaults().withOverridePenalty(-1));
        assertThrows(IllegalArgumentException.class, () -> new PolicyNetworkConfig(39, 4, 64, 2, 3, -5, 1));
    }

    @Test
    void shouldMaskOverriddenStepsByDefaultAndCarryThePenaltyThroughCopies() {
        PpoConfig d = PpoConfig.defaults();
        assertEquals(RecoveryStorage.MASKED, d.recoveryStorage());
        assertEquals(PpoConfig.DEFAULT_OVERRIDE_PENALTY, d.overridePenalty());
        PpoConfig c = d.withOverridePenalty(0.25).withBatch(256, 64, 2).withLearningRates(1e-3, 1e-3)
                .withRecoveryStorage(RecoveryStorage.PENALISED_PROPOSAL);
        assertEquals(0.25, c.overridePenalty());
        assertEquals(RecoveryStorage.PENALISED_PROPOSAL, c.recoveryStorage());
    }

    @Test
    void shouldRoundTripThroughBuilder() {
        WorldModelConfig c = WorldModelConfig.builder(39, 4).sizes(512, 512).epochs(3).build();
        assertEquals(c, c.toBuilder().build());
        assertEquals(1 + 0.9 + 0.81, new CostRolloutConfig(2, 0.9, RolloutActionSource.POLICY_PRIOR).maxCost(), 1e-12);
    }

    @Test
    void shouldValidateParameterShapes() {
        ParameterSet p = new ParameterSet(java.util.Map.of("w", new NamedArray(new int[] {2, 3}, new float[6])));
        assertEquals(6, p.count());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.get("w", 3, 2));
        assertEquals(true, e.getMessage().contains("'w'"));
        assertThrows(IllegalArgumentException.class, () -> new NamedArray(new int[] {2, 2}, new float[3]));
    }
}
