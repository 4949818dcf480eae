package io.farl.interchange;

import io.farl.interchange.Column.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layout as another LeRobot tool writes it: LeRobot's columns only (3-d state, 2-d action), no farl block, fps
 * 10. Episode {@code e} has {@code lengths[e]} frames; state entry 0 counts frames, reward 0.5, the last frame done.
 */
final class ForeignLayout {
    static final List<Column> COLUMNS = List.of(Column.vector("observation.state", 3, false),
            Column.vector("action", 2, false), Column.scalar("timestamp", Type.FLOAT64, false),
            Column.scalar("frame_index", Type.INT64, false), Column.scalar("episode_index", Type.INT64, false),
            Column.scalar("index", Type.INT64, false), Column.scalar("next.reward", Type.FLOAT64, false),
            Column.scalar("next.done", Type.BOOL, false), Column.scalar("task_index", Type.INT64, false));

    private ForeignLayout() {
    }

    static Path write(Path root, TableFormat format, int... lengths) throws IOException {
        Map<String, LeRobotMeta.Feature> features = new LinkedHashMap<>();
        for (Column c : COLUMNS) {
            features.put(c.name(), new LeRobotMeta.Feature(c.name().equals("observation.state")
                    || c.name().equals("action") ? "float32" : c.type().dtype(), List.of(c.size()), null));
        }
        Files.createDirectories(root.resolve("meta"));
        LeRobotMeta.JSON.writeValue(root.resolve("meta/info.json").toFile(), new LeRobotMeta.Info("v2.1", "so100",
                lengths.length, 0, 1, 0, 1, 1000, 10, Map.of(), LeRobotMeta.dataPath(format.extension()), null,
                features, null));
        List<String> episodes = new ArrayList<>();
        long index = 0;
        for (int e = 0; e < lengths.length; e++) {
            episodes.add("{\"episode_index\": " + e + ", \"tasks\": [\"Pick the cube.\"], \"length\": " + lengths[e]
                    + "}");
            Path table = LeRobotMeta.dataFile(root, LeRobotMeta.dataPath(format.extension()), e, 1000);
            Files.createDirectories(table.getParent());
            try (TableFormat.RowWriter w = format.create(table, COLUMNS)) {
                for (int i = 0; i < lengths[e]; i++) {
                    w.write(new Object[] {new double[] {i, 0.25, -1}, new double[] {0.1 * i, -0.5}, i / 10.0,
                            (long) i, (long) e, index++, 0.5, i == lengths[e] - 1, 0L});
                }
            }
        }
        Files.write(root.resolve("meta/episodes.jsonl"), episodes);
        Files.writeString(root.resolve("meta/tasks.jsonl"), "{\"task_index\": 0, \"task\": \"Pick the cube.\"}\n");
        return root;
    }
}
