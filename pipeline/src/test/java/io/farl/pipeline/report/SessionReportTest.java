package io.farl.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
import io.farl.controller.dataset.Episode.Label;
import io.farl.controller.dataset.Episode.Mode;
import io.farl.controller.dataset.SyntheticEpisodes;
import io.farl.controller.session.SessionEvent;
import io.farl.controller.session.SessionEvent.Kind;
import io.farl.pipeline.Json;
import io.farl.pipeline.bench.Stats;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionReportTest {
    private static final double EPS = 0.35;
    private static final String NOTE = "<b>careful</b> & \"quoted\"";
    private static final String DETAIL = "operator <break> & 'coffee'";
    /** Per step a mode: T task, R recovery, H hold, U human, S stopped. */
    private static final Map<Character, Mode> MODES = Map.of('T', Mode.TASK, 'R', Mode.RECOVERY, 'H', Mode.HOLD,
            'U', Mode.HUMAN, 'S', Mode.STOPPED);
    private static final String[] EPISODE_MODES = {"TTTRRTTRHT", "TUUUTT", "TTHHTTSS", "TTTTTT"};
    private static final int FAILING_EPISODE = 1;
    private static final int FAILURE_STEP = 5;

    @TempDir
    Path dir;

    @Test
    void shouldCountWhatTheDatasetRecordedAndSayItOnThePage() throws IOException {
        Path data = writeSession();
        SessionReport.Summary s = SessionReport.write(data, events(), EPS, dir.resolve("report"));

        String all = String.join("", EPISODE_MODES);
        assertEquals(EPISODE_MODES.length, s.episodes());
        assertEquals(all.length(), s.steps());
        assertEquals(2, s.success().count());
        assertEquals(Stats.wilson(2, 4), s.success().ci95());
        assertEquals(1, s.irFailure().count());
        assertEquals(Stats.wilson(1, 4), s.irFailure().ci95());
        assertEquals(EPISODE_MODES[FAILING_EPISODE].length() - FAILURE_STEP, s.irFailureSteps());
        assertEquals(count(all, 'R'), s.recoverySteps());
        assertEquals(count(all, 'H'), s.holdSteps());
        assertEquals(count(all, 'U'), s.humanSteps());
        assertEquals(count(all, 'S'), s.stoppedSteps());
        assertEquals(all.length() - count(all, 'T'), s.overrideSteps());
        assertEquals((double) s.overrideSteps() / all.length(), s.overrideRate(), 1e-12);
        assertEquals(runsOf(EPISODE_MODES, "R+"), s.recoveryActivations());
        assertEquals(expectedInterventions(), s.envelopeInterventions());
        assertEquals(List.of(1L, 2L), s.policyVersions());
        assertEquals(EPS, s.epsilonSafe());
        assertEquals(all.length(), s.failureCostSteps());
        assertEquals(expectedAboveEpsilon(), s.stepsAboveEpsilon());
        assertEquals(Integer.valueOf(FAILURE_STEP), s.episodeRows().get(FAILING_EPISODE).failureStep());
        assertEquals(events(), s.events());

        assertImage(dir.resolve("report/episodes.png"), 1000, 900 + 6 * 20); // six event kinds in the legend
        assertImage(dir.resolve("report/interventions.png"), 1000, 600);
        assertImage(dir.resolve("report/ch-trace.png"), 1000, 420);

        String html = Files.readString(dir.resolve("report/report.html"), StandardCharsets.UTF_8);
        assertEquals(3, occurrences(html, "<img alt=\"[a-z-]+\\.png\" src=\"data:image/png;base64,"));
        assertTrue(html.contains("&lt;b&gt;careful&lt;/b&gt; &amp; &quot;quoted&quot;"), "escaped episode note");
        assertTrue(html.contains("operator &lt;break&gt; &amp; &#39;coffee&#39;"), "escaped event detail");
        assertFalse(html.contains("<b>careful") || html.contains("<break>"), "raw operator text");
        assertTrue(html.contains("2 of 4 (50.0%, Wilson 95% interval"), "successes");
        assertTrue(html.contains("1 of 4 (25.0%"), "IR failures");
        assertTrue(html.contains("<td>" + s.steps() + "</td>"), "steps");
        assertTrue(html.contains("<td>TAKE_OVER</td>"), "event table");
        assertFalse(html.contains("<script") || html.contains("http://") || html.contains("https://"),
                "self-contained");
    }

    @Test
    void shouldReadTheJsonBackIntoTheSameSummary() throws IOException {
        SessionReport.Summary s = SessionReport.write(writeSession(), events(), Double.NaN, dir.resolve("r"));
        assertNull(s.epsilonSafe());
        assertEquals(0, s.stepsAboveEpsilon());
        assertEquals(s, Json.read(dir.resolve("r/report.json"), SessionReport.Summary.class));
        assertEquals(List.of("episodes.png", "interventions.png", "ch-trace.png", "report.html", "report.json"),
                s.files());
        String html = Files.readString(dir.resolve("r/report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("unknown (pass --epsilon-safe or --models)"), "ε_safe unknown");
    }

    @Test
    void shouldWriteANothingRecordedPageForASessionWithoutEpisodes() throws IOException {
        Path data = dir.resolve("empty.farl");
        try (DatasetWriter w = DatasetWriter.open(data)) {
            assertEquals(0, w.completeEpisodes());
        }
        List<SessionEvent> events = List.of(new SessionEvent(1_700_000_000_000L, Kind.START, -1, ""),
                new SessionEvent(1_700_000_005_000L, Kind.END, -1, "stopped by <operator>"));
        SessionReport.Summary s = SessionReport.write(data, events, EPS, dir.resolve("out"));
        assertEquals(0, s.episodes());
        assertEquals(0, s.steps());
        assertEquals(List.of("report.html", "report.json"), s.files());
        assertFalse(Files.exists(dir.resolve("out/episodes.png")));
        String html = Files.readString(dir.resolve("out/report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("Nothing recorded"), html);
        assertTrue(html.contains("stopped by &lt;operator&gt;"), "events still listed");
        assertFalse(html.contains("data:image/png"));
        assertEquals(s, Json.read(dir.resolve("out/report.json"), SessionReport.Summary.class));
    }

    @Test
    void shouldKeepTheNewestStepsInTheTraceAndSayWhichInItsTitle() {
        SessionTally tally = new SessionTally(EPS);
        int length = 900;
        for (int e = 0; e < 3; e++) {
            tally.add(episode(e, 1, "T".repeat(length), -1, Label.TIMEOUT, ""));
        }
        List<TracePoint> trace = tally.trace();
        assertEquals(SessionTally.TRACE_STEPS, trace.size());
        assertEquals(3L * length - 1, trace.get(trace.size() - 1).step());
        assertEquals("C_H over the last 2,000 steps (session steps 700 to 2,699, episodes 0 to 2)",
                TraceChart.title(trace, EPS));
        assertNotNull(TraceChart.chart(trace, Double.NaN));
    }

    private Path writeSession() throws IOException {
        Path file = dir.resolve("run.farl");
        try (DatasetWriter w = DatasetWriter.open(file)) {
            w.append(episode(0, 1, EPISODE_MODES[0], -1, Label.SUCCESS, ""));
            w.append(episode(1, 1, EPISODE_MODES[1], FAILURE_STEP, Label.FAILURE, ""));
            w.append(episode(2, 2, EPISODE_MODES[2], -1, Label.TIMEOUT, NOTE));
            w.append(episode(3, 2, EPISODE_MODES[3], -1, Label.SUCCESS, ""));
        }
        return file;
    }

    private static List<SessionEvent> events() {
        long t = 1_700_000_000_000L;
        return List.of(new SessionEvent(t, Kind.START, -1, ""), new SessionEvent(t + 1_000, Kind.PAUSE, 1, DETAIL),
                new SessionEvent(t + 2_000, Kind.RESUME, 1, ""), new SessionEvent(t + 3_000, Kind.TAKE_OVER, 2, ""),
                new SessionEvent(t + 4_000, Kind.HAND_BACK, 2, ""), new SessionEvent(t + 5_000, Kind.ESTOP, 3, ""),
                new SessionEvent(t + 6_000, Kind.LABEL_SUCCESS, 3, "looked fine"),
                new SessionEvent(t + 7_000, Kind.END, 3, ""));
    }

    /** C_H of step i: 0.1, 0.2, ..., 0.5, repeating. */
    private static double failureCost(int i) {
        return 0.1 * (i % 5 + 1);
    }

    /** One envelope intervention on every step i with i % 4 == 2. */
    private static boolean intervened(int i) {
        return i % 4 == 2;
    }

    private static Episode episode(long index, long version, String modes, int failAt, Label label, String note) {
        List<Episode.Step> steps = new ArrayList<>();
        double[] obs = new double[SyntheticEpisodes.OBS];
        int failures = 0;
        for (int i = 0; i < modes.length(); i++) {
            boolean failure = failAt >= 0 && i >= failAt;
            failures += failure ? 1 : 0;
            boolean last = i == modes.length() - 1;
            List<Episode.Intervention> acted = intervened(i)
                    ? List.of(new Episode.Intervention("action_bound", 0, 1.5, 1.0)) : List.of();
            steps.add(new Episode.Step(i, 1_000L * i, obs, new double[SyntheticEpisodes.ACT],
                    new double[SyntheticEpisodes.ACT], 0.5, failure, last && label == Label.SUCCESS,
                    MODES.get(modes.charAt(i)), OptionalDouble.of(failureCost(i)), acted, version,
                    OptionalDouble.empty(), obs, last && label != Label.TIMEOUT, last && label == Label.TIMEOUT));
        }
        return new Episode(SyntheticEpisodes.header(index, 100 + index), steps, new Episode.Footer(index, label,
                modes.length(), failAt >= 0 ? OptionalInt.of(failAt) : OptionalInt.empty(), 0.5 * modes.length(),
                label == Label.SUCCESS, note, failures));
    }

    private static long count(String s, char c) {
        return s.chars().filter(x -> x == c).count();
    }

    private static long runsOf(String[] strings, String regex) {
        long n = 0;
        for (String s : strings) {
            n += occurrences(s, regex);
        }
        return n;
    }

    private static long occurrences(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static long expectedInterventions() {
        long n = 0;
        for (String modes : EPISODE_MODES) {
            for (int i = 0; i < modes.length(); i++) {
                n += intervened(i) ? 1 : 0;
            }
        }
        return n;
    }

    private static long expectedAboveEpsilon() {
        long n = 0;
        for (String modes : EPISODE_MODES) {
            for (int i = 0; i < modes.length(); i++) {
                n += failureCost(i) > EPS ? 1 : 0;
            }
        }
        return n;
    }

    private static void assertImage(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " decodes");
        assertEquals(width, image.getWidth(), png + " width");
        assertEquals(height, image.getHeight(), png + " height");
    }
}
