package io.farl.launch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.DatasetRepair;
import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
import io.farl.launch.FarlCli;
import io.farl.launch.StrictJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code farl repair} end to end on datasets written by {@link DatasetWriter}, one byte of them damaged. */
class RepairTest {

    @TempDir
    Path dir;

    @Test
    void shouldCopyTheIntactEpisodesSoThatAPlainReaderSkipsNothing() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path expert = data.resolve("bounded-push-expert.farl");
        List<Episode> written = new ArrayList<>();
        try (DatasetWriter w = DatasetWriter.open(expert)) {
            for (int i = 0; i < 3; i++) {
                Episode e = InspectTest.push(i, Episode.Kind.EXPERT, 10 + 5 * i, -1, true, 1 + i);
                w.append(e);
                written.add(e);
            }
        }
        try (DatasetWriter w = DatasetWriter.open(data.resolve("bounded-push-failure.farl"))) {
            w.append(InspectTest.push(0, Episode.Kind.FAILURE, 12, 8, false, 9));
        }
        Files.writeString(data.resolve("README.txt"), "collected by hand\n");
        List<Long> ends = Datasets.episodeEnds(expert);
        byte[] bytes = Files.readAllBytes(expert);
        int damagedAt = (int) (ends.get(0) + 200);
        bytes[damagedAt] ^= 0x01;
        Files.write(expert, bytes);

        Path fixed = dir.resolve("fixed");
        CliRun run = CliRun.of("repair", data.toString(), "--out", fixed.toString());
        assertEquals(FarlCli.EXIT_OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("bounded-push-expert.farl: kept 2 episode(s), skipped 1 damaged, dropped 0 "
                + "torn-tail byte(s)"), run.out());
        assertTrue(run.out().contains("  skipped episode 1 (header: task bounded-push, seed 2): bytes " + ends.get(0)
                + " to " + ends.get(1) + ", record "), run.out());
        assertTrue(run.out().contains("  episodes 2..2 are now 1..1"), run.out());
        assertTrue(run.out().contains("bounded-push-failure.farl: kept 1 episode(s), skipped 0 damaged"), run.out());
        assertTrue(run.out().contains("copied 1 other file(s)"), run.out());
        assertTrue(run.err().contains("skipping damaged episode 1"), run.err());

        DatasetRepair.Report report = StrictJson.read(fixed.resolve("repair.json"), DatasetRepair.Report.class);
        assertTrue(report.allRepaired());
        DatasetRepair.FileReport e = report.datasets().get(0);
        assertEquals("bounded-push-expert.farl", e.file());
        assertEquals(List.of(2L, 1L, 0L), List.of(e.episodesKept(), e.episodesSkipped(), e.tornTailBytes()));
        DatasetReader.Skipped s = e.skipped().get(0);
        assertEquals(List.of(ends.get(0), ends.get(1) - ends.get(0), 1L), List.of(s.offset(), s.length(),
                s.episodeIndex()));
        assertTrue(s.damageOffset() <= damagedAt && damagedAt < ends.get(1), s.toString());
        assertEquals(List.of(new DatasetRepair.Renumbered(2, 1, 1)), e.renumbered());
        assertEquals(List.of("README.txt"), report.copied());

        try (DatasetReader r = DatasetReader.open(fixed.resolve("bounded-push-expert.farl"))) {
            List<Episode> read = new ArrayList<>();
            r.forEach(read::add);
            assertEquals(List.of(), r.skipped());
            assertTrue(r.tornTail().isEmpty());
            assertEquals(List.of(written.get(0).steps(), written.get(2).steps()), read.stream().map(Episode::steps)
                    .toList());
            assertEquals(written.get(2).header().withIndex(1), read.get(1).header());
        }
        assertArrayEquals(Files.readAllBytes(data.resolve("bounded-push-failure.farl")),
                Files.readAllBytes(fixed.resolve("bounded-push-failure.farl")), "an undamaged file is copied as is");
        assertEquals("collected by hand\n", Files.readString(fixed.resolve("README.txt")));
        assertArrayEquals(bytes, Files.readAllBytes(expert), "DIR is only read");

        CliRun inspect = CliRun.of("inspect", fixed.toString(), "--no-plots");
        assertEquals(FarlCli.EXIT_OK, inspect.exitCode(), inspect.toString());
        assertFalse(inspect.err().contains("WARN"), inspect.err());
    }

    @Test
    void shouldExitTwoForTheSameFolderANonEmptyOneOrASummaryInsideDir() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (DatasetWriter w = DatasetWriter.open(data.resolve("a.farl"))) {
            w.append(InspectTest.push(0, Episode.Kind.EXPERT, 5, -1, true, 1));
        }
        CliRun same = CliRun.of("repair", data.toString(), "--out", data.toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, same.exitCode(), same.toString());
        assertTrue(same.err().contains("is the folder being repaired"), same.err());

        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("keep.txt"), "x");
        CliRun nonEmpty = CliRun.of("repair", data.toString(), "--out", full.toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, nonEmpty.exitCode(), nonEmpty.toString());
        assertTrue(nonEmpty.err().contains("exists and is not empty"), nonEmpty.err());

        CliRun inside = CliRun.of("repair", data.toString(), "--out", dir.resolve("new").toString(), "--json",
                data.resolve("repair.json").toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, inside.exitCode(), inside.toString());
        assertFalse(Files.exists(dir.resolve("new")), "refused before anything was written");
        assertFalse(Files.exists(data.resolve("repair.json")));
    }
}
