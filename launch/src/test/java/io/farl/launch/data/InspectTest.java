package io.farl.launch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
import io.farl.launch.FarlCli;
import io.farl.launch.StrictJson;
import io.farl.robot.api.Field;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code farl inspect} on hand-made datasets: statistics, JSON, PNGs, and bad input. */
class InspectTest {

    @TempDir
    Path dir;

    /** A straight push of {@code steps} steps along +y; fails (C = 1) from {@code failAt} on when >= 0. */
    static Episode push(long index, Episode.Kind kind, int steps, int failAt, boolean success, long seed) {
        Random r = new Random(seed);
        List<Episode.Step> list = new ArrayList<>();
        double[] obs = new double[39];
        obs[1] = -0.1;
        obs[5] = 0.0;
        double sum = 0;
        int failures = 0;
        for (int i = 0; i < steps; i++) {
            double[] next = obs.clone();
            next[0] += 0.002 * r.nextGaussian();
            next[1] += 0.01;
            next[4] += 0.002 * r.nextGaussian();
            next[5] += 0.01;
            boolean failure = failAt >= 0 && i >= failAt;
            failures += failure ? 1 : 0;
            double reward = -0.1;
            sum += reward;
            list.add(Episode.Step.plain(i, i * 100_000_000L, obs, new double[] {0, 1, 0, 0}, new double[] {0, 1, 0, 0},
                    reward, failure, success && i == steps - 1, Episode.Mode.TASK, next, i == steps - 1, false));
            obs = next;
        }
        Episode.Header h = new Episode.Header(index, "bounded-push", seed, Episode.Source.SCRIPTED, kind, 39, 4,
                100_000_000L, List.of(new Episode.Shape(Episode.ShapeType.RECT, "boundary", 0, 0.05, 0.4, 0.3),
                        new Episode.Shape(Episode.ShapeType.CIRCLE, "target", 0, 0.15, 0.03, 0)),
                0, "", "test", List.of(new Field("hand_pos", 0, 3, "m"), new Field("gripper", 3, 1, "1"),
                        new Field("obj1_pos", 4, 3, "m"), new Field("rest", 7, 32, "1")), List.of());
        Episode.Label label = failAt >= 0 ? Episode.Label.FAILURE
                : success ? Episode.Label.SUCCESS : Episode.Label.TIMEOUT;
        return new Episode(h, list, new Episode.Footer(index, label, steps,
                failAt >= 0 ? OptionalInt.of(failAt) : OptionalInt.empty(), sum, success, "", failures));
    }

    private Path writeDataset() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (DatasetWriter w = DatasetWriter.open(data.resolve("bounded-push-expert.farl"))) {
            w.append(push(0, Episode.Kind.EXPERT, 10, -1, true, 1));
            w.append(push(1, Episode.Kind.EXPERT, 20, -1, true, 2));
            w.append(push(2, Episode.Kind.EXPERT, 30, -1, false, 3));
        }
        try (DatasetWriter w = DatasetWriter.open(data.resolve("bounded-push-failure.farl"))) {
            w.append(push(0, Episode.Kind.FAILURE, 25, 20, false, 4));
            w.append(push(1, Episode.Kind.FAILURE, 16, 12, false, 5));
        }
        return data;
    }

    @Test
    void shouldPrintCountsRatesAndLengthsAndDrawOnePngPerTask() throws IOException {
        Path data = writeDataset();
        Path json = dir.resolve("stats.json");
        Path pngs = dir.resolve("png");
        CliRun run = CliRun.of("inspect", data.toString(), "--out", pngs.toString(), "--json", json.toString());
        assertEquals(FarlCli.EXIT_OK, run.exitCode(), run.toString());
        assertTrue(run.out().matches("(?s).*bounded-push\\s+expert\\s+3\\s+2\\s+0\\s+0\\s+1\\s+0\\.0%\\s+10\\s+20\\.0"
                + "\\s+20\\s+30.*"), run.out());
        assertTrue(run.out().matches("(?s).*bounded-push\\s+failure\\s+2\\s+0\\s+2\\s+0\\s+0\\s+100\\.0%\\s+16.*"),
                run.out());
        assertTrue(run.out().matches("(?s).*bounded-push\\s+all\\s+5\\s+2\\s+2\\s+0\\s+1\\s+40\\.0%\\s+10\\s+20\\.2"
                + "\\s+20\\s+30.*"), run.out());

        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, doc.get("rows").size());
        assertEquals(0.4, doc.get("rows").get(2).get("failureRate").asDouble(), 1e-12);
        Path png = pngs.resolve("bounded-push-topview.png");
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() >= 800 && image.getHeight() >= 400);
        assertTrue(countRedPixels(image) > 20, "failure crosses are drawn in red");
    }

    @Test
    void shouldSkipADamagedEpisodeNamingFileRecordAndFieldAndCountItPerFile() throws IOException {
        // Before damaged episodes were skipped, this flip made inspect exit 2; now episode 0 is skipped with a
        // warning and counted, and the other two are inspected.
        Path data = writeDataset();
        Path file = data.resolve("bounded-push-expert.farl");
        byte[] bytes = Files.readAllBytes(file);
        bytes[16 + 8 + 3] ^= 0x20; // inside the payload of record 0, the first header
        Files.write(file, bytes);
        Path json = dir.resolve("damaged.json");
        CliRun run = CliRun.of("inspect", data.toString(), "--no-plots", "--json", json.toString());
        assertEquals(FarlCli.EXIT_OK, run.exitCode(), run.toString());
        assertTrue(run.err().contains(file + ": skipping damaged episode 0 (header damaged) at byte offset 16")
                && run.err().contains("record 0 at byte 16: frame.payload_crc32c"), run.err());
        assertTrue(run.out().contains(file + ": skipped 1 damaged episode(s)"), run.out());
        JsonNode expert = StrictJson.read(json).get("files").get(0);
        assertEquals(2, StrictJson.longAt(expert, "episodes"));
        assertEquals(1, StrictJson.longAt(expert, "skippedEpisodes"));
        assertTrue(StrictJson.longAt(expert, "skippedBytes") > 0);
    }

    @Test
    void shouldExitTwoForAMissingFolderOrAFolderWithoutDatasets() throws IOException {
        CliRun missing = CliRun.of("inspect", dir.resolve("nope").toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        CliRun empty = CliRun.of("inspect", dir.toString());
        assertEquals(FarlCli.EXIT_BAD_INPUT, empty.exitCode(), empty.toString());
        assertTrue(empty.err().contains("no *.farl files"), empty.err());
    }

    @Test
    void shouldSkipATornTailAndSayHowManyBytes() throws IOException {
        Path data = writeDataset();
        Path file = data.resolve("bounded-push-failure.farl");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 30));
        Path json = dir.resolve("torn.json");
        CliRun run = CliRun.of("inspect", data.toString(), "--no-plots", "--json", json.toString());
        assertEquals(FarlCli.EXIT_OK, run.exitCode(), run.toString());
        assertTrue(run.err().contains("torn tail"), run.err());
        JsonNode files = new ObjectMapper().readTree(json.toFile()).get("files");
        assertEquals(1, files.get(1).get("episodes").asInt());
        assertTrue(files.get(1).get("tornTailBytes").asLong() > 0);
    }

    static int countRedPixels(BufferedImage image) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r > 180 && g < 80 && b < 80) {
                    n++;
                }
            }
        }
        return n;
    }
}
