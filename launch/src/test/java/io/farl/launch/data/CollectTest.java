package io.farl.launch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.launch.FarlCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code farl collect} in-process: argument checks, resume rules, labels, and inspect on what it wrote. */
class CollectTest {

    @TempDir
    Path dir;

    @Test
    void shouldExitTwoListingValidTasksForAnUnknownTask() {
        CliRun run = CliRun.of("collect", "--task", "bounded-pish", "--kind", "expert", "--episodes", "3", "--out",
                dir.toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("unknown task 'bounded-pish'"), run.err());
        for (String valid : List.of("bounded-push", "bounded-soccer", "fragile-push-wall", "obstructed-push",
                "disturbed-push")) {
            assertTrue(run.err().contains(valid), run.err());
        }
    }

    @Test
    void shouldExitTwoForBadKindEpisodesOrOut() throws IOException {
        assertBad("unknown demonstration kind 'expret', expected one of expert, failure, recovery, or all", "collect", "--task", "bounded-push", "--kind", "expret", "--episodes", "3",
                "--out", dir.toString());
        assertBad("--episodes must be > 0, got 0", "collect", "--task", "bounded-push", "--kind", "expert",
                "--episodes", "0", "--out", dir.toString());
        assertBad("--episodes must be > 0, got -4", "collect", "--task", "bounded-push", "--kind", "expert",
                "--episodes", "-4", "--out", dir.toString());
        assertBad("--out", "collect", "--task", "bounded-push", "--kind", "expert", "--episodes", "3");
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        assertBad("is a file", "collect", "--task", "bounded-push", "--kind", "expert", "--episodes", "1", "--out",
                file.toString());
        assertEquals(0, Files.list(dir).filter(p -> p.toString().endsWith(".farl")).count(), "nothing written");
    }

    @Test
    void shouldExitTwoNamingTheTensorOfADamagedTaskPolicy() throws IOException {
        io.farl.model.api.PolicyNetworkConfig c = io.farl.model.api.PolicyNetworkConfig.defaults(39, 4)
                .withHidden(8, 1);
        java.util.Map<String, io.farl.model.api.NamedArray> weights = new java.util.LinkedHashMap<>();
        io.farl.model.jvm.ModelFiles.policyShapes(c).forEach((name, shape) -> {
            int[] stored = name.equals("log_std") ? new int[] {3} : shape; // one action entry short
            weights.put(name, new io.farl.model.api.NamedArray(stored,
                    new float[java.util.Arrays.stream(stored).reduce(1, (a, b) -> a * b)]));
        });
        java.util.Properties config = new java.util.Properties();
        io.farl.model.jvm.ConfigProperties.put(config, "policy.", c);
        io.farl.model.jvm.ModelDirectory.write(dir.resolve("models").resolve("task-policy"),
                io.farl.model.jvm.ModelDirectory.POLICY_KIND, new io.farl.model.api.ParameterSet(weights), config,
                java.util.Map.of());
        assertBad("tensor 'log_std' has shape [3], the config needs [4]", "collect", "--task", "bounded-push",
                "--kind", "policy", "--policy", dir.resolve("models").toString(), "--episodes", "1", "--out",
                dir.resolve("out").toString());
    }

    @Test
    void shouldCollectLabelledEpisodesAndRefuseToResumeWithAnotherSeed() throws IOException {
        Path out = dir.resolve("data");
        CliRun run = CliRun.of("collect", "--task", "obstructed-push", "--kind", "failure,recovery", "--episodes", "3",
                "--seed", "5", "--out", out.toString(), "--no-progress");
        assertEquals(FarlCli.EXIT_OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("obstructed-push-failure.farl: 3 episodes (3 new)"), run.out());
        List<Episode> failures = DatasetReader.readAll(out.resolve("obstructed-push-failure.farl"));
        List<Episode> recoveries = DatasetReader.readAll(out.resolve("obstructed-push-recovery.farl"));
        for (int i = 0; i < 3; i++) {
            assertEquals(5 + i, failures.get(i).header().seed());
            Episode f = failures.get(i);
            assertEquals(f.footer().failureStep().isPresent(), f.label() == Episode.Label.FAILURE);
            assertTrue(recoveries.get(i).steps().stream().allMatch(s -> s.mode() == Episode.Mode.RECOVERY));
            assertTrue(recoveries.get(i).label() != Episode.Label.SUCCESS, "recovery episodes are never SUCCESS");
        }

        CliRun more = CliRun.of("collect", "--task", "obstructed-push", "--kind", "failure", "--episodes", "4",
                "--seed", "5", "--out", out.toString(), "--no-progress");
        assertEquals(FarlCli.EXIT_OK, more.exitCode(), more.toString());
        assertTrue(more.out().contains("4 episodes (1 new)"), more.out());

        CliRun other = CliRun.of("collect", "--task", "obstructed-push", "--kind", "failure", "--episodes", "6",
                "--seed", "6", "--out", out.toString(), "--no-progress");
        assertEquals(FarlCli.EXIT_BAD_INPUT, other.exitCode(), other.toString());
        assertTrue(other.err().contains("obstructed-push-failure.farl") && other.err().contains("header.seed"),
                other.err());
    }

    @Test
    void shouldExitTwoWhenResumingADamagedFileOrAWrongSchemaVersion() throws IOException {
        Path out = dir.resolve("data");
        String[] args = {"collect", "--task", "bounded-push", "--kind", "expert", "--episodes", "2", "--out",
                out.toString(), "--no-progress"};
        assertEquals(FarlCli.EXIT_OK, CliRun.of(args).exitCode());
        Path file = out.resolve("bounded-push-expert.farl");
        byte[] bytes = Files.readAllBytes(file);
        // Record 0 is the first header: rewrite its schema_version to 2 and fix the CRC, so the framing is
        // intact and only the schema is wrong.
        int length = java.nio.ByteBuffer.wrap(bytes, 16, 4).getInt();
        io.farl.protocol.v1.Record record = io.farl.protocol.v1.Record.parseFrom(
                java.util.Arrays.copyOfRange(bytes, 24, 24 + length));
        byte[] v2 = io.farl.protocol.v1.Record.newBuilder(record)
                .setHeader(record.getHeader().toBuilder().setSchemaVersion(2)).build().toByteArray();
        assertEquals(length, v2.length);
        System.arraycopy(v2, 0, bytes, 24, length);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 24, length);
        java.nio.ByteBuffer.wrap(bytes, 24 + length, 4).putInt((int) crc.getValue());
        Files.write(file, bytes);

        CliRun inspect = CliRun.of("inspect", out.toString(), "--no-plots");
        assertEquals(FarlCli.EXIT_BAD_INPUT, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.err().contains(file + ": record 0 at byte 16: header.schema_version is 2"),
                inspect.err());
        CliRun resume = CliRun.of(args);
        assertEquals(FarlCli.EXIT_BAD_INPUT, resume.exitCode(), resume.toString());
        assertTrue(resume.err().contains("header.schema_version"), resume.err());
    }

    @Test
    void shouldDrawANonEmptyPngPerTaskFromCollectedEpisodes() throws IOException {
        Path out = dir.resolve("all");
        CliRun run = CliRun.of("collect", "--task", "all", "--kind", "expert,failure", "--episodes", "2", "--out",
                out.toString(), "--no-progress");
        assertEquals(FarlCli.EXIT_OK, run.exitCode(), run.toString());
        assertEquals(10, run.out().lines().filter(l -> l.contains(".farl: 2 episodes")).count(), run.out());
        Path png = dir.resolve("png");
        CliRun inspect = CliRun.of("inspect", out.toString(), "--out", png.toString());
        assertEquals(FarlCli.EXIT_OK, inspect.exitCode(), inspect.toString());
        for (String task : List.of("bounded-push", "bounded-soccer", "fragile-push-wall", "obstructed-push",
                "disturbed-push")) {
            Path p = png.resolve(task + "-topview.png");
            assertTrue(Files.size(p) > 10_000, p + " is " + Files.size(p) + " bytes");
            assertTrue(inspect.out().matches("(?s).*" + task + "\\s+all\\s+4\\s.*"), inspect.out());
        }
    }

    private static void assertBad(String message, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(FarlCli.EXIT_BAD_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains(message), run.err());
    }
}
