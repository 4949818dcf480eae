package io.farl.launch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.controller.teleop.RecordSummary;
import io.farl.launch.FarlCli;
import io.farl.launch.StrictJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farl record} with the scripted operator, killed with SIGKILL in a real child process in the middle of an
 * episode: the labelled episodes already kept survive unchanged, only the episode in progress is lost, and the same
 * command resumes with that episode's layout and ends with all of them.
 */
class RecordCrashTest {
    private static final int EPISODES = 20;

    @TempDir
    Path dir;

    private String[] args(Path out) throws IOException {
        Path config = dir.resolve("robot.yaml");
        Files.writeString(config, "envelope:\n  workspace_margin_m: 0\n  max_speed_fraction: 1.0\n"
                + "  max_action_change_per_s: 100\n");
        return new String[] {"record", "--teleop", "scripted", "--task", "bounded-push", "--kind", "expert",
                "--episodes", Integer.toString(EPISODES), "--max-episode-steps", "12", "--seed", "0", "--config",
                config.toString(), "--out", out.toString()};
    }

    @Test
    void shouldLoseOnlyTheEpisodeInProgressWhenKilledAndResumeWithIt() throws Exception {
        Path out = dir.resolve("teleop");
        Path file = out.resolve("bounded-push-expert-teleop.farl");
        int kept = killMidEpisode(out, file, 6);
        List<Episode> survived = DatasetReader.readAll(file);
        assertEquals(kept, survived.size(), "every episode kept before the kill is read back");
        assertEquals(LongStream.range(0, kept).boxed().toList(), seeds(survived));

        CliRun resume = CliRun.of(args(out));
        assertEquals(FarlCli.EXIT_OK, resume.exitCode(), resume.toString());
        List<Episode> all = DatasetReader.readAll(file);
        assertEquals(EPISODES, all.size());
        assertEquals(survived, all.subList(0, kept), "nothing kept before the kill changed");
        assertEquals(LongStream.range(0, EPISODES).boxed().toList(), seeds(all),
                "the episode in progress at the kill is recorded again with its layout, and no other is missing");
        RecordSummary s = StrictJson.read(out.resolve("record.json"), RecordSummary.class);
        assertEquals(EPISODES - kept, s.kept(), s.toString());
        assertEquals(EPISODES, s.inFile());
        for (Episode e : all) {
            assertEquals(Episode.Source.SCRIPTED, e.header().source());
            assertTrue(e.steps().size() <= 12);
            assertTrue(e.footer().label() != null);
        }
    }

    private static List<Long> seeds(List<Episode> episodes) {
        return episodes.stream().map(e -> e.header().seed()).toList();
    }

    /**
     * Starts record in a child JVM; once the file holds {@code atLeast} complete episodes and the child is half-way
     * into the next one, SIGKILLs it. Returns the complete episodes in the file at the kill.
     */
    private int killMidEpisode(Path out, Path file, int atLeast) throws IOException, InterruptedException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                FarlCli.class.getName()));
        command.addAll(List.of(args(out)));
        Files.createDirectories(out);
        Process child = new ProcessBuilder(command).redirectOutput(out.resolve("child.out").toFile())
                .redirectError(out.resolve("child.err").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                int complete = Files.exists(file) ? count(file) : 0;
                if (complete >= atLeast) {
                    Thread.sleep(600); // half of a 12-step episode at 10 Hz: the next one is running
                    int before = count(file);
                    child.destroyForcibly();
                    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                    assertEquals(137, child.exitValue(), "killed by SIGKILL");
                    int after = count(file);
                    assertTrue(after >= before && after <= before + 1, before + " -> " + after);
                    return after;
                }
                if (!child.isAlive()) {
                    fail("record finished (exit " + child.exitValue() + ") before " + atLeast + " episodes: "
                            + Files.readString(out.resolve("child.err")));
                }
                Thread.sleep(20);
            }
            fail("the file never held " + atLeast + " episodes: " + Files.readString(out.resolve("child.err")));
            return -1;
        } finally {
            child.destroyForcibly();
        }
    }

    private static int count(Path file) throws IOException {
        try (DatasetReader r = DatasetReader.open(file)) {
            int n = 0;
            for (Episode ignored : r) {
                n++;
            }
            return n;
        }
    }
}
