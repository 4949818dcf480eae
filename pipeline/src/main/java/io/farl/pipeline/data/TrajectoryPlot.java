package io.farl.pipeline.data;

import io.farl.controller.dataset.Episode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Top view (x–y, metres) of one task's episodes: object paths by kind, hand paths lighter, the layout shapes from
 * the headers (boundary, walls, vase, obstacles, goal, target) and a red X where each failure happened (the first
 * object's position after the first step with C = 1). Keeps at most {@code maxEpisodesPerKind} paths per kind, the
 * first ones fed. Renders headless.
 */
public final class TrajectoryPlot {

    static {
        // XChart draws with AWT; no display here.
        System.setProperty("java.awt.headless", "true");
    }

    private static final Map<Episode.Kind, Color> KIND_COLORS = new EnumMap<>(Map.of(
            Episode.Kind.EXPERT, new Color(31, 119, 180), Episode.Kind.FAILURE, new Color(230, 120, 10),
            Episode.Kind.RECOVERY, new Color(148, 60, 200), Episode.Kind.ONLINE, new Color(120, 120, 120)));

    private record Path2(Episode.Kind kind, double[] x, double[] y) {
    }

    private final String task;
    private final int maxEpisodesPerKind;
    private final Map<Episode.Kind, Integer> plotted = new EnumMap<>(Episode.Kind.class);
    private final List<Path2> objectPaths = new ArrayList<>();
    private final List<Path2> handPaths = new ArrayList<>();
    private final List<Path2> movingPaths = new ArrayList<>();
    private final Set<Episode.Shape> shapes = new LinkedHashSet<>();
    private final List<double[]> failures = new ArrayList<>();

    public TrajectoryPlot(String task, int maxEpisodesPerKind) {
        this.task = task;
        this.maxEpisodesPerKind = maxEpisodesPerKind;
    }

    public void add(Episode e) {
        Episode.Kind kind = e.header().kind();
        if (plotted.getOrDefault(kind, 0) >= maxEpisodesPerKind || e.length() == 0) {
            return;
        }
        plotted.merge(kind, 1, Integer::sum);
        shapes.addAll(e.header().layout());
        int hand = offset(e.header(), 0, "hand_pos", "hand");
        int object = offset(e.header(), 4, "obj1_pos", "object1_pos", "obj_pos", "object_pos");
        int second = offset(e.header(), 11, "obj2_pos", "object2_pos");
        objectPaths.add(path(e, object));
        handPaths.add(path(e, hand));
        Path2 other = path(e, second);
        if (moves(other)) {
            movingPaths.add(other);
        }
        e.footer().failureStep().ifPresent(s -> {
            double[] after = e.steps().get(s).nextObservation();
            failures.add(new double[] {after[object], after[object + 1]});
        });
    }

    /** Writes the PNG; the file name should end in {@code .png}. */
    public void write(Path png) throws IOException {
        double[] view = view();
        double spanX = view[1] - view[0];
        double spanY = view[3] - view[2];
        int width = 1100;
        // Equal scale on both axes: the plot area is about width - 280 (axis, legend) by height - 90 pixels.
        int height = (int) Math.max(450, Math.min(1500, (width - 280) * spanY / spanX + 90));
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title(task + " — top view (" + count() + " episodes)").xAxisTitle("x [m]").yAxisTitle("y [m]")
                .build();
        Styler s = chart.getStyler();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setXAxisMin(view[0]).setXAxisMax(view[1]).setYAxisMin(view[2]).setYAxisMax(view[3]);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(11);
        s.setAntiAlias(true);

        int n = 0;
        Set<String> legend = new LinkedHashSet<>();
        for (Episode.Shape shape : shapes) {
            double[][] xy = outline(shape);
            String label = shape.role();
            XYSeries series = chart.addSeries("shape" + n++, xy[0], xy[1]);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
            series.setLineColor(shapeColor(label)).setLineStyle(shapeStroke(label));
            series.setLabel(label).setShowInLegend(legend.add("shape:" + label));
        }
        for (Path2 p : handPaths) {
            line(chart, "hand" + n++, p, 60, 0.8f, null, legend.add("hand:" + p.kind())
                    ? "hand (" + p.kind().name().toLowerCase(Locale.ROOT) + ")" : null);
        }
        for (Path2 p : movingPaths) {
            line(chart, "moving" + n++, p, 110, 1.0f, new float[] {3, 3}, legend.add("moving")
                    ? "moving obstacle" : null);
        }
        for (Path2 p : objectPaths) {
            String name = p.kind().name().toLowerCase(Locale.ROOT);
            line(chart, "object" + n++, p, 210, 1.6f, null, legend.add("object:" + p.kind()) ? "object (" + name + ")"
                    : null);
        }
        if (!failures.isEmpty()) {
            double[] fx = failures.stream().mapToDouble(f -> f[0]).toArray();
            double[] fy = failures.stream().mapToDouble(f -> f[1]).toArray();
            XYSeries x = chart.addSeries("failures", fx, fy);
            x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.CROSS)
                    .setMarkerColor(new Color(220, 20, 20));
            x.setLabel("failure (C=1)");
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    public String task() {
        return task;
    }

    /** Episodes plotted. */
    public int count() {
        return objectPaths.size();
    }

    private static void line(XYChart chart, String name, Path2 p, int alpha, float width, float[] dash,
            String legendLabel) {
        XYSeries series = chart.addSeries(name, p.x(), p.y());
        Color c = KIND_COLORS.get(p.kind());
        if (dash != null) {
            c = Color.DARK_GRAY;
        }
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
        series.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha));
        series.setLineStyle(dash == null ? new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, dash, 0f));
        series.setShowInLegend(legendLabel != null);
        if (legendLabel != null) {
            series.setLabel(legendLabel);
        }
    }

    /** Axis ranges {minX, maxX, minY, maxY}: the layout padded by 12%, or the paths when there is no layout. */
    private double[] view() {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        for (Episode.Shape s : shapes) {
            double[][] xy = outline(s);
            extend(b, xy[0], xy[1]);
        }
        if (!(b[0] < b[1])) {
            for (Path2 p : objectPaths) {
                extend(b, p.x(), p.y());
            }
            for (Path2 p : handPaths) {
                extend(b, p.x(), p.y());
            }
        }
        if (!(b[0] < b[1]) || !(b[2] < b[3])) {
            return new double[] {-1, 1, -1, 1};
        }
        double padX = 0.12 * (b[1] - b[0]);
        double padY = 0.12 * (b[3] - b[2]);
        return new double[] {b[0] - padX, b[1] + padX, b[2] - padY, b[3] + padY};
    }

    private static void extend(double[] b, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            b[0] = Math.min(b[0], x[i]);
            b[1] = Math.max(b[1], x[i]);
            b[2] = Math.min(b[2], y[i]);
            b[3] = Math.max(b[3], y[i]);
        }
    }

    /** The outline of a layout shape as x and y arrays (a rectangle closed, a circle as 48 segments). */
    public static double[][] outline(Episode.Shape s) {
        if (s.type() == Episode.ShapeType.RECT) {
            double x0 = s.x() - s.w() / 2;
            double x1 = s.x() + s.w() / 2;
            double y0 = s.y() - s.h() / 2;
            double y1 = s.y() + s.h() / 2;
            return new double[][] {{x0, x1, x1, x0, x0}, {y0, y0, y1, y1, y0}};
        }
        int k = 48;
        double[][] xy = new double[2][k + 1];
        for (int i = 0; i <= k; i++) {
            double a = 2 * Math.PI * i / k;
            xy[0][i] = s.x() + s.w() * Math.cos(a);
            xy[1][i] = s.y() + s.w() * Math.sin(a);
        }
        return xy;
    }

    private static Color shapeColor(String role) {
        return switch (role) {
            case "boundary" -> Color.BLACK;
            case "wall" -> new Color(90, 90, 90);
            case "vase" -> new Color(148, 0, 211);
            case "obstacle" -> new Color(139, 69, 19);
            case "goal", "target", "goal_mouth" -> new Color(0, 150, 60, 170);
            case "table" -> new Color(190, 190, 190);
            default -> new Color(120, 120, 160);
        };
    }

    private static BasicStroke shapeStroke(String role) {
        return switch (role) {
            case "wall" -> new BasicStroke(3.5f);
            case "boundary", "vase", "obstacle" -> new BasicStroke(2.2f);
            case "goal", "target" -> new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {4, 3}, 0f);
            case "goal_mouth" -> new BasicStroke(4f);
            default -> new BasicStroke(1f);
        };
    }

    private static Path2 path(Episode e, int offset) {
        int n = e.length() + 1;
        double[] x = new double[n];
        double[] y = new double[n];
        x[0] = e.steps().get(0).observation()[offset];
        y[0] = e.steps().get(0).observation()[offset + 1];
        for (int i = 0; i < e.length(); i++) {
            double[] next = e.steps().get(i).nextObservation();
            x[i + 1] = next[offset];
            y[i + 1] = next[offset + 1];
        }
        return new Path2(e.header().kind(), x, y);
    }

    private static boolean moves(Path2 p) {
        for (int i = 1; i < p.x().length; i++) {
            if (Math.hypot(p.x()[i] - p.x()[0], p.y()[i] - p.y()[0]) > 0.01) {
                return true;
            }
        }
        return false;
    }

    /** Offset of the first named field present in the header's layout, else the MetaWorld-style default. */
    private static int offset(Episode.Header h, int fallback, String... names) {
        for (String name : names) {
            var f = h.observationField(name);
            if (f.isPresent() && f.get().size() >= 2) {
                return f.get().offset();
            }
        }
        return fallback + 1 < h.observationSize() ? fallback : 0;
    }
}
