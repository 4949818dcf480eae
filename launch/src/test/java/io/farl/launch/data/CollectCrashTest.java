package io.farl.launch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.launch.FarlCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farl collect} killed with SIGKILL in a real child process at several moments: the complete episodes
 * survive, at most the one in progress is lost, and re-running the same command ends with exactly the episodes
 * of an uninterrupted run.
 */
class CollectCrashTest {

    private static final int EPISODES = 8;
    private static final String SEED = "21";

    @TempDir
    Path dir;

    private String[] args(Path out) {
        return new String[] {"collect", "--task", "bounded-push", "--kind", "expert", "--episodes",
                Integer.toString(EPISODES), "--seed", SEED, "--out", out.toString(), "--no-progress"};
    }

    @Test
    void shouldKeepCompleteEpisodesWhenKilledAndFinishLikeAnUninterruptedRun() throws Exception {
        Path reference = dir.resolve("reference");
        CliRun run = CliRun.of(args(reference));
        assertEquals(FarlCli.EXIT_OK, run.exitCode(), run.toString());
        Path referenceFile = reference.resolve("bounded-push-expert.farl");
        List<Episode> expected = DatasetReader.readAll(referenceFile);
        assertEquals(EPISODES, expected.size());
        List<Long> ends = Datasets.episodeEnds(referenceFile);
        long referenceSize = Files.size(referenceFile);

        int killsWithTornTail = 0;
        for (double fraction : new double[] {0.05, 0.35, 0.6, 0.9}) {
            Path out = dir.resolve("killed-" + (int) (fraction * 100));
            Path file = out.resolve("bounded-push-expert.farl");
            long threshold = (long) (referenceSize * fraction);
            long seen = killWhenGrown(out, file, threshold);

            long size = Files.size(file);
            assertTrue(size >= seen);
            List<Episode> survived = DatasetReader.readAll(file);
            long onDisk = ends.stream().filter(end -> end <= size).count();
            assertEquals(onDisk, survived.size(), "every episode whose bytes reached the disk is read back (file "
                    + size + " bytes, episode ends " + ends + ")");
            assertTrue(survived.size() >= ends.stream().filter(end -> end <= seen).count());
            Datasets.assertSameContent(expected.subList(0, survived.size()), survived);
            long completeEnd = survived.isEmpty() ? 16 : ends.get(survived.size() - 1);
            byte[] torn = Arrays.copyOfRange(Files.readAllBytes(file), (int) completeEnd, (int) size);

            CliRun resume = CliRun.of(args(out));
            assertEquals(FarlCli.EXIT_OK, resume.exitCode(), resume.toString());
            assertTrue(resume.out().contains(EPISODES + " episodes (" + (EPISODES - survived.size()) + " new)"),
                    resume.out());
            Datasets.assertSameContent(expected, DatasetReader.readAll(file));
            assertEquals(referenceSize, Files.size(file), "same bytes as the uninterrupted run");
            if (torn.length > 0) {
                killsWithTornTail++;
                Path side = file.resolveSibling(file.getFileName() + ".torn-" + completeEnd);
                assertArrayEquals(torn, Files.readAllBytes(side), "torn tail preserved byte for byte");
            }
        }
        assertTrue(killsWithTornTail >= 1, "at least one kill should land inside an episode");
    }

    /** Starts collect in a child JVM, SIGKILLs it once the file reached {@code threshold} bytes; returns that size. */
    private long killWhenGrown(Path out, Path file, long threshold) throws IOException, InterruptedException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                FarlCli.class.getName()));
        command.addAll(List.of(args(out)));
        Files.createDirectories(out);
        Process child = new ProcessBuilder(command).redirectOutput(out.resolve("child.out").toFile())
                .redirectError(out.resolve("child.err").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                long size = Files.exists(file) ? Files.size(file) : 0;
                if (size >= threshold) {
                    child.destroyForcibly();
                    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                    assertEquals(137, child.exitValue(), "killed by SIGKILL");
                    return size;
                }
                if (!child.isAlive()) {
                    fail("collect finished (exit " + child.exitValue() + ") before the file reached " + threshold
                            + " bytes: " + Files.readString(out.resolve("child.err")));
                }
                Thread.sleep(1);
            }
            fail("the file never reached " + threshold + " bytes");
            return -1;
        } finally {
            child.destroyForcibly();
        }
    }
}
