package io.farl.pipeline.report;

import io.farl.controller.dataset.Episode.Mode;
import io.farl.controller.session.SessionEvent;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's per-episode plots ({@code episodes.png}, {@code interventions.png}), drawn headless with XChart;
 * panels are {@link #WIDTH} by {@link #PANEL_HEIGHT} pixels, stacked. The C_H trace is {@link TraceChart}'s.
 */
final class ReportCharts {
    static final int WIDTH = 1000;
    static final int PANEL_HEIGHT = 300;
    /** Extra height of the first episode panel per operator-event kind in its legend. */
    static final int LEGEND_ROW = 20;
    /** Tick labels of the stacked episode panels, all of one width so that their plots line up. */
    private static final String ALIGNED_TICKS = "0.0";
    /** Height of the event diamonds, above the success markers at 1. */
    private static final double EVENT_Y = 1.12;
    /** Operator events drawn on the episode plot; the session's start and end are left out. */
    private static final List<SessionEvent.Kind> NOT_DRAWN = List.of(SessionEvent.Kind.START, SessionEvent.Kind.END);

    private static final Map<SessionEvent.Kind, Color> EVENT_COLORS = Map.of(SessionEvent.Kind.PAUSE,
            new Color(0x0277bd), SessionEvent.Kind.RESUME, new Color(0x00897b), SessionEvent.Kind.TAKE_OVER,
            ModeColors.of(Mode.HUMAN), SessionEvent.Kind.HAND_BACK, new Color(0xad1457), SessionEvent.Kind.ESTOP,
            Color.BLACK, SessionEvent.Kind.MARK_FAILURE, new Color(0xc62828));

    private ReportCharts() {
    }

    /** Writes the three PNGs into {@code dir}; returns file name → PNG bytes, in page order. */
    static Map<String, byte[]> write(Path dir, List<EpisodeRow> rows, List<TracePoint> trace,
            List<SessionEvent> events, double epsilonSafe) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(SessionReport.EPISODES_PNG, save(dir, SessionReport.EPISODES_PNG, episodes(rows, events)));
        out.put(SessionReport.INTERVENTIONS_PNG, save(dir, SessionReport.INTERVENTIONS_PNG, interventions(rows)));
        out.put(SessionReport.CH_TRACE_PNG, save(dir, SessionReport.CH_TRACE_PNG,
                List.of(TraceChart.chart(trace, epsilonSafe))));
        return out;
    }

    private static byte[] save(Path dir, String name, List<XYChart> panels) throws IOException {
        int height = panels.stream().mapToInt(XYChart::getHeight).sum();
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        int y = 0;
        for (XYChart p : panels) {
            g.drawImage(BitmapEncoder.getBufferedImage(p), 0, y, null);
            y += p.getHeight();
        }
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        byte[] bytes = png.toByteArray();
        Files.write(dir.resolve(name), bytes);
        return bytes;
    }

    /**
     * Success, IR failures (markers and rolling rates) and policy version over episodes; operator events as dashed
     * vertical lines on every panel and as a diamond per kind above the success data, named in a legend that makes
     * the first panel {@link #LEGEND_ROW} pixels taller per kind.
     */
    static List<XYChart> episodes(List<EpisodeRow> rows, List<SessionEvent> events) {
        double[] x = indices(rows);
        Map<SessionEvent.Kind, double[]> byKind = eventEpisodes(rows, events);
        XYChart success = panel(rows, "Success over time", "success", PANEL_HEIGHT + LEGEND_ROW * byKind.size());
        outcome(success, rows, x, "success", EpisodeRow::success, new Color(0x2e7d32));
        XYChart failure = panel(rows, "IR failures over time", "IR failure", PANEL_HEIGHT);
        outcome(failure, rows, x, "IR failure", EpisodeRow::irFailure, new Color(0xc62828));
        XYChart version = panel(rows, "Policy version", "version", PANEL_HEIGHT);
        XYSeries steps = line(version, "policy version of the task policy", x, values(rows, EpisodeRow::policyVersion),
                new Color(0x1565c0));
        steps.setXYSeriesRenderStyle(XYSeriesRenderStyle.Step);
        steps.setMarker(SeriesMarkers.NONE);
        List<XYChart> panels = List.of(success, failure, version);
        panels.forEach(p -> p.getStyler().setYAxisDecimalPattern(ALIGNED_TICKS));
        for (Map.Entry<SessionEvent.Kind, double[]> k : byKind.entrySet()) {
            for (double episode : k.getValue()) {
                panels.forEach(p -> p.addAnnotation(new AnnotationLine(episode, true, false)));
            }
            double[] y = new double[k.getValue().length];
            Arrays.fill(y, EVENT_Y);
            XYSeries s = success.addSeries("event: " + k.getKey().name().toLowerCase(Locale.ROOT), k.getValue(), y);
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.DIAMOND);
            s.setMarkerColor(EVENT_COLORS.getOrDefault(k.getKey(), Color.DARK_GRAY));
        }
        if (!byKind.isEmpty()) {
            success.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        }
        return panels;
    }

    /** Per kind drawn, the episodes of its events within the plotted range. */
    static Map<SessionEvent.Kind, double[]> eventEpisodes(List<EpisodeRow> rows, List<SessionEvent> events) {
        Map<SessionEvent.Kind, double[]> byKind = new EnumMap<>(SessionEvent.Kind.class);
        long first = rows.get(0).index();
        long last = rows.get(rows.size() - 1).index();
        for (SessionEvent e : events) {
            if (NOT_DRAWN.contains(e.kind()) || e.episode() < first || e.episode() > last) {
                continue;
            }
            double[] xs = byKind.getOrDefault(e.kind(), new double[0]);
            double[] grown = Arrays.copyOf(xs, xs.length + 1);
            grown[xs.length] = e.episode();
            byKind.put(e.kind(), grown);
        }
        return byKind;
    }

    /** Steps by mode, recovery activations and envelope interventions per episode. */
    static List<XYChart> interventions(List<EpisodeRow> rows) {
        double[] x = indices(rows);
        XYChart modes = panel(rows, "Steps not under the task policy, per episode", "steps", PANEL_HEIGHT);
        line(modes, "recovery steps", x, values(rows, EpisodeRow::recoverySteps), ModeColors.of(Mode.RECOVERY));
        line(modes, "hold steps", x, values(rows, EpisodeRow::holdSteps), ModeColors.of(Mode.HOLD));
        line(modes, "human steps", x, values(rows, EpisodeRow::humanSteps), ModeColors.of(Mode.HUMAN));
        line(modes, "stopped steps", x, values(rows, EpisodeRow::stoppedSteps), ModeColors.of(Mode.STOPPED));
        XYChart counts = panel(rows, "Recovery activations and envelope interventions, per episode", "count",
                PANEL_HEIGHT);
        line(counts, "recovery activations (entries into RECOVERY)", x,
                values(rows, EpisodeRow::recoveryActivations), ModeColors.of(Mode.RECOVERY));
        line(counts, "envelope interventions", x, values(rows, EpisodeRow::interventions), new Color(0x6a1b9a));
        return List.of(modes, counts);
    }

    private static void outcome(XYChart chart, List<EpisodeRow> rows, double[] x, String what,
            java.util.function.Predicate<EpisodeRow> hit, Color color) {
        double[] y = new double[rows.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = hit.test(rows.get(i)) ? 1 : 0;
        }
        XYSeries marks = chart.addSeries(what + " (1) or not (0)", x, y);
        marks.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        marks.setMarker(SeriesMarkers.CIRCLE);
        marks.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 110));
        line(chart, what + " rate, last " + SessionReport.WINDOW + " episodes", x, rolling(y, SessionReport.WINDOW),
                color);
        chart.getStyler().setYAxisMin(-0.05).setYAxisMax(1.2);
    }

    static XYChart panel(List<EpisodeRow> rows, String title, String yTitle, int height) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(height).title(title).xAxisTitle("episode")
                .yAxisTitle(yTitle).build();
        // legends below the plots, so that stacked panels share one x position per episode
        c.getStyler().setMarkerSize(5).setLegendPosition(Styler.LegendPosition.OutsideS)
                .setLegendLayout(Styler.LegendLayout.Horizontal)
                .setAnnotationLineColor(new Color(0, 0, 0, 90))
                .setAnnotationLineStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {4f, 3f}, 0f));
        c.getStyler().setXAxisMin(rows.get(0).index() - 0.5).setXAxisMax(rows.get(rows.size() - 1).index() + 0.5);
        c.getStyler().setLegendFont(c.getStyler().getLegendFont().deriveFont(11f));
        return c;
    }

    static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setMarker(x.length <= 200 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setMarkerColor(color);
        return s;
    }

    private static double[] indices(List<EpisodeRow> rows) {
        return values(rows, EpisodeRow::index);
    }

    private static double[] values(List<EpisodeRow> rows, ToDoubleFunction<EpisodeRow> f) {
        return rows.stream().mapToDouble(f).toArray();
    }

    /** Mean of the last {@code window} values up to and including each position (fewer at the start). */
    static double[] rolling(double[] y, int window) {
        double[] out = new double[y.length];
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i];
            if (i >= window) {
                sum -= y[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    /** One colour per mode, shared by the per-episode and trace plots and the page. */
    static final class ModeColors {
        private static final Map<Mode, Color> COLORS = new EnumMap<>(Map.of(Mode.TASK, new Color(0x1565c0),
                Mode.RECOVERY, new Color(0xef6c00), Mode.HOLD, new Color(0x607d8b), Mode.HUMAN, new Color(0x8e24aa),
                Mode.STOPPED, new Color(0x212121)));

        private ModeColors() {
        }

        static Color of(Mode m) {
            return COLORS.get(m);
        }
    }
}
