package io.farl.interchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.controller.dataset.SyntheticEpisodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** farl datasets → LeRobot-style layout → farl dataset gives the same episodes, in both table formats. */
class LeRobotRoundTripTest {

    @TempDir
    Path dir;

    private final List<Episode> push = new ArrayList<>();
    private final List<Episode> soccer = new ArrayList<>();

    /** Two files, one in a sub-folder, two tasks; every step field in use; a failure, a success, an empty one. */
    private Path datasets() throws IOException {
        Path data = dir.resolve("data");
        for (int i = 0; i < 4; i++) {
            push.add(SyntheticEpisodes.episode(i, i == 3 ? 0 : 5 + i, 100 + i));
        }
        Episodes.write(data.resolve("bounded-push-expert.farl"), push);
        soccer.add(Episodes.withTask(SyntheticEpisodes.episode(0, 7, 200), "bounded-soccer"));
        Episode extraPush = SyntheticEpisodes.episode(1, 4, 201);
        Episodes.write(data.resolve("more").resolve("mixed.farl"), List.of(soccer.get(0), extraPush));
        push.add(extraPush);
        return data;
    }

    @ParameterizedTest
    @EnumSource(TableFormat.class)
    void shouldGiveBackTheSameEpisodesPerTask(TableFormat format) throws IOException {
        Path layout = dir.resolve("lerobot");
        LeRobotExporter.Summary exported = new LeRobotExporter(format).export(datasets(), layout);
        assertEquals(2, exported.files());
        assertEquals(6, exported.episodes());
        assertEquals(5 + 6 + 7 + 0 + 7 + 4, exported.frames());

        for (String task : List.of("bounded-push", "bounded-soccer")) {
            List<Episode> expected = task.equals("bounded-push") ? push : soccer;
            LeRobotImporter.Summary imported = new LeRobotImporter(new LeRobotImporter.Options(task,
                    Episode.Kind.EXPERT, Optional.empty())).importLayout(layout, dir.resolve("back"));
            assertTrue(imported.farlLayout());
            assertEquals(format, imported.format());
            List<Episode> back = DatasetReader.readAll(imported.file());
            assertEquals(dir.resolve("back").resolve(task + "-imported.farl"), imported.file());
            assertEquals(expected.size(), back.size(), task);
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).withIndex(i), back.get(i), task + " episode " + i);
            }
        }
        assertFalse(Files.exists(dir.resolve("back").resolve(".bounded-push-imported.farl.partial")));
    }

    @ParameterizedTest
    @EnumSource(TableFormat.class)
    void shouldWriteLeRobotMetadata(TableFormat format) throws IOException {
        Path layout = dir.resolve("lerobot");
        new LeRobotExporter(format).export(datasets(), layout);

        LeRobotMeta.Info info = LeRobotMeta.JSON.readValue(layout.resolve("meta/info.json").toFile(),
                LeRobotMeta.Info.class);
        assertEquals("v2.1", info.codebaseVersion());
        assertEquals(6, info.totalEpisodes());
        assertEquals(29, info.totalFrames());
        assertEquals(2, info.totalTasks());
        assertEquals(12.5, info.fps().doubleValue(), "80 ms period");
        assertEquals("data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}." + format.extension(),
                info.dataPath());
        assertEquals(List.of(39), info.features().get("observation.state").shape());
        assertEquals("hand_pos[0]", info.features().get("observation.state").names().get(0));
        assertEquals(List.of(4), info.features().get("action").shape());
        assertEquals("bool", info.features().get("next.done").dtype());
        assertEquals(80_000_000L, info.farl().controlPeriodNanos());

        List<LeRobotMeta.EpisodeLine> lines = JsonLines.read(layout, "meta/episodes.jsonl",
                LeRobotMeta.EpisodeLine.class);
        assertEquals(6, lines.size());
        assertEquals(List.of("bounded-push"), lines.get(2).tasks());
        assertEquals("failure", lines.get(2).label(), "episode 2 fails at its middle step");
        assertEquals(3, lines.get(2).irFailureStep());
        assertEquals("success", lines.get(0).label());
        assertNull(lines.get(0).irFailureStep());
        assertEquals("more/mixed.farl", lines.get(4).sourceFile());
        assertEquals(List.of(new LeRobotMeta.TaskLine(0, "bounded-push"), new LeRobotMeta.TaskLine(1,
                "bounded-soccer")), JsonLines.read(layout, "meta/tasks.jsonl", LeRobotMeta.TaskLine.class));
        assertTrue(Files.isRegularFile(layout.resolve("data/chunk-000/episode_000005." + format.extension())));
    }
}
