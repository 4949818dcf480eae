package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Shape and bookkeeping of {@code farl bench loop} on a tiny budget; no timing is asserted. */
class LoopBenchCommandTest {
    private static final int STEPS = 200;
    private static final int WARMUP = 20;

    @TempDir
    Path dir;

    /** The command on its own, with {@link FarlCli}'s mapping of bad input to exit code 2. */
    private static int run(String... args) {
        CommandLine cli = new CommandLine(new LoopBenchCommand());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof BadInputException) {
                return FarlCli.EXIT_BAD_INPUT;
            }
            throw ex;
        });
        return cli.execute(args);
    }

    @Test
    void shouldWriteEveryFieldAndCountsThatAddUp() throws Exception {
        Path json = dir.resolve("bench-loop.json");
        Path jfr = dir.resolve("loop.jfr");
        int code = run("--rate-hz", "200", "--steps", String.valueOf(STEPS),
                "--warmup-steps", String.valueOf(WARMUP), "--jfr", jfr.toString(), "--json", json.toString());
        JsonNode doc = new ObjectMapper().readTree(json.toFile());

        boolean pass = doc.get("pass").asBoolean();
        assertEquals(pass ? FarlCli.EXIT_OK : FarlCli.EXIT_RESULT_FAILED, code, "exit code follows the verdict");
        assertEquals("loop", doc.get("benchmark").asText());
        assertEquals(200, doc.get("rateHz").asInt());
        assertEquals(5_000_000L, doc.get("periodNanos").asLong());
        assertEquals(STEPS, doc.get("steps").asInt());
        for (String histogram : new String[] {"latenessNanos", "runOnceNanos"}) {
            JsonNode h = doc.get(histogram);
            assertEquals(STEPS, h.get("count").asInt(), histogram);
            assertTrue(h.get("p50").asLong() <= h.get("p99").asLong(), histogram);
            assertTrue(h.get("p99").asLong() <= h.get("p999").asLong(), histogram);
            assertTrue(h.get("p999").asLong() <= h.get("max").asLong(), histogram);
        }
        assertTrue(doc.get("runOnceNanos").get("p50").asLong() > 0);
        assertEquals(doc.get("overruns").asLong() + doc.get("skippedDeadlines").asLong(),
                doc.get("missedDeadlines").asLong());

        long modes = 0;
        for (JsonNode n : doc.get("modes")) {
            modes += n.asLong();
        }
        assertEquals(STEPS, modes, "one mode per measured step");

        long drops = 0;
        for (JsonNode q : doc.get("queues")) {
            long offered = q.get("offered").asLong();
            assertEquals(WARMUP + STEPS, offered, q.get("name").asText() + " got every timed step");
            assertEquals(offered, q.get("consumed").asLong() + q.get("dropped").asLong(),
                    q.get("name").asText() + ": consumed + dropped = offered");
            drops += q.get("dropped").asLong();
        }
        assertEquals(drops, doc.get("queueDrops").asLong());
        assertEquals(0, doc.get("loopErrors").asLong());

        JsonNode gc = doc.get("gc");
        assertTrue(gc.get("collectionsInWindow").asLong() >= 0);
        assertTrue(gc.has("maxPauseNanos") && gc.has("collectors"));
        JsonNode jfrNode = doc.get("jfr");
        assertTrue(Files.size(jfr) > 0, "the recording was written");
        assertEquals(jfrNode.get("maxGcPauseNanos").asLong(), gc.get("maxPauseNanos").asLong(),
                "with JFR the verdict uses its pause figure");
        assertTrue(jfrNode.get("gcCount").asLong() >= 0 && jfrNode.has("maxSafepointSyncNanos"));
        JsonNode alloc = doc.get("controlThreadAllocation");
        assertTrue(alloc.has("bytesPerStep") && alloc.has("bytesPerSecond"));
        boolean expectedPass = doc.get("missedDeadlines").asLong() == 0
                && gc.get("maxPauseNanos").asLong() <= 1_000_000L;
        assertEquals(expectedPass, pass, "verdict = no missed deadline and no GC pause over 1 ms");
    }

    @Test
    void shouldRejectBadArguments() {
        assertEquals(FarlCli.EXIT_BAD_INPUT, run("--steps", "0"));
        assertEquals(FarlCli.EXIT_BAD_INPUT, run("--rate-hz", "-5"));
        assertEquals(FarlCli.EXIT_BAD_INPUT, run("--rate-hz", "1000",
                "--spin-micros", "1000"));
    }
}
