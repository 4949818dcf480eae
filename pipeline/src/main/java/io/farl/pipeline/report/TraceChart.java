package io.farl.pipeline.report;

import io.farl.controller.dataset.Episode.Mode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The C_H trace of the session's newest steps ({@code ch-trace.png}): C_H of the task proposal per step (gaps
 * where none was recorded), a horizontal ε_safe line when it is known, the steps under another mode than TASK
 * shaded in that mode's colour, and IR-failure steps marked.
 */
final class TraceChart {
    static final int HEIGHT = 420;

    private TraceChart() {
    }

    static XYChart chart(List<TracePoint> trace, double epsilonSafe) {
        XYChart c = new XYChartBuilder().width(ReportCharts.WIDTH).height(HEIGHT).title(title(trace, epsilonSafe))
                .xAxisTitle("step of the session").yAxisTitle("C_H").build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setMarkerSize(7);
        c.getStyler().setLegendFont(c.getStyler().getLegendFont().deriveFont(11f));
        int n = trace.size();
        double[] x = new double[n];
        double[] ch = new double[n];
        double top = Double.isNaN(epsilonSafe) ? 0 : epsilonSafe;
        for (int i = 0; i < n; i++) {
            x[i] = trace.get(i).step();
            ch[i] = trace.get(i).failureCost();
            top = Double.isNaN(ch[i]) ? top : Math.max(top, ch[i]);
        }
        top = top > 0 ? top * 1.1 : 1;
        c.getStyler().setYAxisMin(0.0).setYAxisMax(top).setXAxisMin(x[0] - 0.5).setXAxisMax(x[n - 1] + 0.5);
        shadeModes(c, trace, x, top);
        XYSeries line = c.addSeries("C_H of the task proposal", x, ch);
        line.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(ReportCharts.ModeColors.of(Mode.TASK));
        if (!Double.isNaN(epsilonSafe)) {
            XYSeries eps = c.addSeries("ε_safe = " + ReportPage.number(epsilonSafe),
                    new double[] {x[0], x[n - 1]}, new double[] {epsilonSafe, epsilonSafe});
            eps.setMarker(SeriesMarkers.NONE);
            eps.setLineColor(new Color(0xc62828));
            eps.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
        }
        markFailures(c, trace, top);
        return c;
    }

    static String title(List<TracePoint> trace, double epsilonSafe) {
        TracePoint first = trace.get(0);
        TracePoint last = trace.get(trace.size() - 1);
        String span = first.step() == 0 ? "all " + trace.size() + " steps"
                : String.format(Locale.ROOT, "the last %,d steps (session steps %,d to %,d, episodes %d to %d)",
                        trace.size(), first.step(), last.step(), first.episode(), last.episode());
        return "C_H over " + span + (Double.isNaN(epsilonSafe) ? "; ε_safe unknown, no line" : "");
    }

    /** One translucent step area per mode other than TASK that occurs, full height where the step had it. */
    private static void shadeModes(XYChart c, List<TracePoint> trace, double[] x, double top) {
        for (Mode m : Mode.values()) {
            if (m == Mode.TASK || trace.stream().noneMatch(p -> p.mode() == m)) {
                continue;
            }
            double[] y = new double[x.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = trace.get(i).mode() == m ? top : 0;
            }
            Color base = ReportCharts.ModeColors.of(m);
            Color fill = new Color(base.getRed(), base.getGreen(), base.getBlue(), 60);
            XYSeries s = c.addSeries(m.name() + " shading", x, y);
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.StepArea);
            s.setMarker(SeriesMarkers.NONE);
            s.setFillColor(fill);
            s.setLineStyle(SeriesLines.NONE);
            s.setShowInLegend(false);
            // the area has no legend swatch of its own: a square marker without a point stands for it
            XYSeries key = c.addSeries(m.name() + " steps", new double[] {x[0]}, new double[] {Double.NaN});
            key.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            key.setMarker(SeriesMarkers.SQUARE);
            key.setMarkerColor(new Color(base.getRed(), base.getGreen(), base.getBlue(), 120));
        }
    }

    /** A red vertical line and a cross per IR-failure step, the cross on its C_H or near the top without one. */
    private static void markFailures(XYChart c, List<TracePoint> trace, double top) {
        List<Double> fx = new ArrayList<>();
        List<Double> fy = new ArrayList<>();
        for (TracePoint p : trace) {
            if (p.irFailure()) {
                c.addAnnotation(new AnnotationLine(p.step(), true, false));
                fx.add((double) p.step());
                fy.add(Double.isNaN(p.failureCost()) ? top * 0.95 : p.failureCost());
            }
        }
        if (fx.isEmpty()) {
            return;
        }
        c.getStyler().setAnnotationLineColor(new Color(0xb71c1c)).setAnnotationLineStroke(new BasicStroke(1.5f));
        XYSeries s = c.addSeries("IR failure (C = 1)", fx, fy);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CROSS);
        s.setMarkerColor(new Color(0xb71c1c));
    }
}
