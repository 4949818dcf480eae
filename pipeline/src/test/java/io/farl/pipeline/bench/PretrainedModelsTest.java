package io.farl.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.pipeline.PipelineInputException;
import io.farl.pipeline.learn.Pretraining;
import io.farl.robot.sim.TaskId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link PretrainedModels} decides before and around the pretrainer it is given (no training here). */
class PretrainedModelsTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAFolderOfForeignFilesWithoutPretraining() throws Exception {
        Path models = dir.resolve("seed0");
        Files.createDirectories(models);
        Files.writeString(models.resolve("notes.txt"), "mine");
        AtomicInteger calls = new AtomicInteger();
        assertThrows(PipelineInputException.class, () -> PretrainedModels.ensure(TaskId.BOUNDED_PUSH, models,
                Pretraining.Budget.tiny(), "tiny", 0, (t, d, b, s, log) -> calls.incrementAndGet(),
                new PrintWriter(new StringWriter())));
        assertEquals(0, calls.get());
        assertTrue(Files.exists(models.resolve("notes.txt")), "nothing of the user's is deleted");
    }

    @Test
    void shouldMarkAFailedPretrainingUnfinishedAndStartItAfreshNextTime() throws Exception {
        Path models = dir.resolve("seed1");
        Pretrainer failing = (t, d, b, s, log) -> {
            Files.writeString(d.resolve("half-written"), "x");
            throw new IllegalStateException("stage failed, see " + log);
        };
        StringWriter note = new StringWriter();
        IllegalStateException first = assertThrows(IllegalStateException.class, () -> PretrainedModels.ensure(
                TaskId.BOUNDED_PUSH, models, Pretraining.Budget.tiny(), "tiny", 1, failing, new PrintWriter(note)));
        assertTrue(first.getMessage().endsWith(PretrainedModels.LOG), first.getMessage());
        assertTrue(Files.readString(models.resolve(PretrainedModels.MARKER)).contains("state=started"));

        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> PretrainedModels.ensure(TaskId.BOUNDED_PUSH, models,
                Pretraining.Budget.tiny(), "tiny", 1, (t, d, b, s, log) -> {
                    calls.incrementAndGet();
                    assertFalse(Files.exists(d.resolve("half-written")), "the unfinished output was deleted first");
                    throw new IllegalStateException("again");
                }, new PrintWriter(note)));
        assertEquals(1, calls.get());
        assertTrue(note.toString().contains("an unfinished pretraining; starting it afresh"), note.toString());
    }
}
