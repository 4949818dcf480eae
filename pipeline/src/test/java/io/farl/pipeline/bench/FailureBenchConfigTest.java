package io.farl.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.pipeline.learn.Pretraining;
import io.farl.robot.sim.TaskId;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureBenchConfigTest {

    static FailureBench.Config config(int seeds, int pretrainings, int ablationSeeds) {
        return new FailureBench.Config(List.of(TaskId.BOUNDED_PUSH), List.of(BenchMethod.values()), 100, seeds, 1000,
                Pretraining.Budget.tiny(), "tiny", Path.of("m"), Path.of("o"), 10, 2, pretrainings, ablationSeeds);
    }

    @Test
    void shouldShareThePretrainingsAmongTheRunSeedsInTurn() {
        FailureBench.Config c = config(5, 2, 3);
        assertEquals(List.of(100L, 101L, 100L, 101L, 100L),
                List.of(c.pretrainingSeed(100), c.pretrainingSeed(101), c.pretrainingSeed(102), c.pretrainingSeed(103),
                        c.pretrainingSeed(104)));
        FailureBench.Config own = new FailureBench.Config(List.of(TaskId.BOUNDED_PUSH), List.of(BenchMethod.FARL), 7,
                3, 1000, Pretraining.Budget.tiny(), "tiny", Path.of("m"), Path.of("o"), 10, 2);
        assertEquals(9, own.pretrainingSeed(9), "one pretraining per seed by default");
    }

    @Test
    void shouldRunTheSecondaryMethodsOnTheFirstSeedsOnly() {
        FailureBench.Config c = config(5, 2, 3);
        for (int i = 0; i < 5; i++) {
            assertTrue(c.runs(BenchMethod.FARL, i));
            assertTrue(c.runs(BenchMethod.PPO, i));
            assertEquals(i < 3, c.runs(BenchMethod.FARL_FILTER, i));
            assertEquals(i < 3, c.runs(BenchMethod.FARL_CRITIC, i));
            assertEquals(i < 3, c.runs(BenchMethod.FARL_HOLD, i));
        }
        assertFalse(config(5, 1, 0).runs(BenchMethod.FARL_HOLD, 0));
        // the safety critic of the ablation is trained only for pretrainings an ablation seed uses
        assertTrue(config(5, 2, 3).ablationsUse(101));
        assertFalse(config(5, 3, 1).ablationsUse(101));
        assertFalse(config(5, 2, 0).ablationsUse(100));
    }

    @Test
    void shouldRefuseMorePretrainingsOrAblationSeedsThanSeeds() {
        assertThrows(IllegalArgumentException.class, () -> config(3, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> config(3, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> config(3, 1, 4));
    }
}
