package io.farl.interchange;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.farl.controller.dataset.Episode;
import io.farl.robot.api.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metadata of a LeRobotDataset-style layout (codebase version v2.1), as typed records:
 * <pre>
 * meta/info.json        {@link Info}: fps, features (dtype, shape, names), totals, path templates, farl's block
 * meta/episodes.jsonl   one {@link EpisodeLine} a line: index, tasks, length, and farl's label and header fields
 * meta/tasks.jsonl      one {@link TaskLine} a line
 * data/chunk-000/episode_000000.parquet (or .csv): one row per frame, columns in {@link FrameColumns}
 * </pre>
 * JSON names are snake_case. Reading ignores fields it does not know and reads absent ones as null (farl's fields
 * in layouts other tools wrote), so other tools' additions do not stop an import; the fields LeRobot requires
 * are marked required, and what farl needs besides is checked where it is used.
 */
public final class LeRobotMeta {

    public static final String CODEBASE_VERSION = "v2.1";
    /** Episodes per data chunk folder. */
    public static final int CHUNK_SIZE = 1000;
    /** Version of farl's additions ({@link FarlInfo}, the farl.* columns). */
    public static final int FARL_FORMAT_VERSION = 1;
    static final String INFO = "meta/info.json";
    static final String EPISODES = "meta/episodes.jsonl";
    static final String TASKS = "meta/tasks.jsonl";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(episode_chunk|episode_index)(?::0?(\\d+)d)?}");

    private LeRobotMeta() {
    }

    /**
     * One feature of {@link Info#features()}.
     *
     * @param dtype {@code float64}, {@code float32}, {@code int64}, {@code bool}, {@code string}, {@code video}, ...
     * @param shape one size for the features farl reads
     * @param names entry names of a vector, null when unknown
     */
    public record Feature(String dtype, List<Integer> shape, List<String> names) {
    }

    /**
     * farl's block in meta/info.json; absent in layouts other tools wrote.
     *
     * @param formatVersion     {@link #FARL_FORMAT_VERSION}
     * @param table             {@code csv} or {@code parquet}
     * @param controlPeriodNanos nominal control period of every episode
     * @param observationLayout named slices of {@code observation.state}
     * @param actionLayout      named slices of {@code action}
     * @param csvVectors        how a CSV table spells a vector column
     */
    public record FarlInfo(int formatVersion, String table, long controlPeriodNanos, List<Field> observationLayout,
            List<Field> actionLayout, String csvVectors) {
    }

    /** meta/info.json. {@code fps} is an integer when the control period divides a second. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Info(String codebaseVersion, String robotType, long totalEpisodes, long totalFrames, long totalTasks,
            long totalVideos, long totalChunks, long chunksSize, Number fps, Map<String, String> splits,
            String dataPath, String videoPath, Map<String, Feature> features, FarlInfo farl) {
    }

    /**
     * One line of meta/episodes.jsonl. {@code episodeIndex}, {@code tasks} and {@code length} are LeRobot's; the
     * rest is farl's and may be null in layouts other tools wrote.
     *
     * @param label           success, failure, recovery or timeout
     * @param irFailureStep   first step with C(s,a) = 1, null when none
     * @param sourceFile      the .farl file the episode came from and its index there
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record EpisodeLine(@JsonProperty(required = true) long episodeIndex, List<String> tasks,
            @JsonProperty(required = true) long length, String label, Boolean success,
            Integer irFailureStep, Integer failureSteps, Double episodeReturn, Long seed, String source, String kind,
            String actor, String operatorNote, String footerNote, Long startedUnixMillis, List<Episode.Shape> layout,
            String sourceFile, Long sourceEpisodeIndex) {
    }

    /** One line of meta/tasks.jsonl. */
    public record TaskLine(@JsonProperty(required = true) long taskIndex,
            @JsonProperty(required = true) String task) {
    }

    /** The data path template for tables of this file extension. */
    static String dataPath(String extension) {
        return "data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}." + extension;
    }

    /** The table file of {@code episodeIndex} under {@code root}, from a data path template. */
    static Path dataFile(Path root, String template, long episodeIndex, long chunksSize) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long value = m.group(1).equals("episode_chunk") ? episodeIndex / chunksSize : episodeIndex;
            String digits = m.group(2) == null ? "" : "0" + m.group(2);
            m.appendReplacement(out, String.format(Locale.ROOT, "%" + digits + "d", value));
        }
        m.appendTail(out);
        return root.resolve(out.toString());
    }
}
