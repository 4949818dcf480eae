package io.farl.pipeline.learn;

import io.farl.controller.dataset.Episode;
import io.farl.model.api.StateReward;
import io.farl.pipeline.data.TrajectoryPlot;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A learned state reward over the table, next to the task's layout: for one recorded episode's layout (shapes and
 * goal), r(s) with the first object at rest at each point of a grid and the hand a few centimetres behind it on the
 * line away from the goal (where a push towards the goal would start); everything else as in the episode's first
 * observation. Blue is negative (towards failure), red positive (towards success). Renders headless with Java2D.
 */
public final class RewardHeatMap {
    /** Grid cells per axis. */
    static final int CELLS = 60;
    /** Hand distance behind the object, in metres. */
    static final double HAND_BEHIND = 0.06;
    private static final int SIZE = 600;
    private static final int MARGIN = 60;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private RewardHeatMap() {
    }

    /** The grid of rewards, [row y][column x], over {@code view} = {minX, maxX, minY, maxY}. */
    public static double[][] grid(StateReward reward, Episode episode, double[] view) {
        Episode.Header h = episode.header();
        int hand = field(h, "hand_pos");
        int object = field(h, "obj1_pos");
        int prevHand = h.observationField("prev_hand_pos").map(io.farl.robot.api.Field::offset).orElse(-1);
        int prevObject = h.observationField("prev_obj1_pos").map(io.farl.robot.api.Field::offset).orElse(-1);
        int goal = field(h, "goal_pos");
        double[] first = episode.steps().get(0).observation();
        float[] obs = new float[first.length];
        double gx = first[goal];
        double gy = first[goal + 1];
        double[][] r = new double[CELLS][CELLS];
        for (int j = 0; j < CELLS; j++) {
            double y = view[2] + (j + 0.5) * (view[3] - view[2]) / CELLS;
            for (int i = 0; i < CELLS; i++) {
                double x = view[0] + (i + 0.5) * (view[1] - view[0]) / CELLS;
                for (int k = 0; k < obs.length; k++) {
                    obs[k] = (float) first[k];
                }
                double dx = gx - x;
                double dy = gy - y;
                double d = Math.hypot(dx, dy);
                double hx = x - (d > 1e-9 ? dx / d : 1) * HAND_BEHIND;
                double hy = y - (d > 1e-9 ? dy / d : 0) * HAND_BEHIND;
                place(obs, object, prevObject, x, y);
                place(obs, hand, prevHand, hx, hy);
                r[j][i] = reward.reward(obs);
            }
        }
        return r;
    }

    /** Writes the heat map of {@code reward} on the layout of {@code episode} as a PNG. */
    public static void write(Path png, StateReward reward, Episode episode, String title) throws IOException {
        List<Episode.Shape> shapes = episode.header().layout();
        double[] view = view(shapes);
        double[][] r = grid(reward, episode, view);
        double scale = 1e-9;
        for (double[] row : r) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        BufferedImage img = new BufferedImage(SIZE + 2 * MARGIN + 80, SIZE + 2 * MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        double cell = (double) SIZE / CELLS;
        for (int j = 0; j < CELLS; j++) {
            for (int i = 0; i < CELLS; i++) {
                g.setColor(color(r[j][i] / scale));
                int px = MARGIN + (int) Math.floor(i * cell);
                int py = MARGIN + SIZE - (int) Math.floor((j + 1) * cell);
                g.fillRect(px, py, (int) Math.ceil(cell) + 1, (int) Math.ceil(cell) + 1);
            }
        }
        g.setStroke(new BasicStroke(2f));
        for (Episode.Shape s : shapes) {
            double[][] xy = TrajectoryPlot.outline(s);
            g.setColor(s.role().equals("target") || s.role().equals("goal") ? new Color(0, 140, 0) : Color.BLACK);
            for (int k = 0; k + 1 < xy[0].length; k++) {
                g.drawLine(px(xy[0][k], view), py(xy[1][k], view), px(xy[0][k + 1], view), py(xy[1][k + 1], view));
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString(title, MARGIN, MARGIN - 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("r(s) with the object at rest at each point, the hand " + Math.round(HAND_BEHIND * 100)
                + " cm behind it away from the goal", MARGIN, MARGIN - 12);
        g.drawString(String.format(Locale.ROOT, "x %.2f .. %.2f m, y %.2f .. %.2f m", view[0], view[1], view[2],
                view[3]), MARGIN, MARGIN + SIZE + 20);
        int barX = MARGIN + SIZE + 25;
        for (int k = 0; k < SIZE; k++) {
            g.setColor(color(1 - 2.0 * k / SIZE));
            g.fillRect(barX, MARGIN + k, 20, 1);
        }
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%+.2f", scale), barX, MARGIN - 2);
        g.drawString(String.format(Locale.ROOT, "%+.2f", -scale), barX, MARGIN + SIZE + 14);
        g.dispose();
        java.nio.file.Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    private static void place(float[] obs, int at, int prev, double x, double y) {
        obs[at] = (float) x;
        obs[at + 1] = (float) y;
        if (prev >= 0) {
            obs[prev] = (float) x;
            obs[prev + 1] = (float) y;
        }
    }

    private static int field(Episode.Header h, String name) {
        return h.observationField(name).map(io.farl.robot.api.Field::offset).orElseThrow(() -> new IllegalArgumentException(
                "episode " + h.index() + " of " + h.task() + " has no observation field " + name));
    }

    /** Blue for −1, white for 0, red for +1. */
    static Color color(double v) {
        double c = Math.max(-1, Math.min(1, v));
        int fade = (int) Math.round(255 * (1 - Math.abs(c)));
        return c >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255);
    }

    private static double[] view(List<Episode.Shape> shapes) {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        for (Episode.Shape s : shapes) {
            if (s.role().equals("table")) {
                continue;
            }
            double[][] xy = TrajectoryPlot.outline(s);
            for (int k = 0; k < xy[0].length; k++) {
                b[0] = Math.min(b[0], xy[0][k]);
                b[1] = Math.max(b[1], xy[0][k]);
                b[2] = Math.min(b[2], xy[1][k]);
                b[3] = Math.max(b[3], xy[1][k]);
            }
        }
        if (!(b[0] < b[1]) || !(b[2] < b[3])) {
            return new double[] {-0.4, 0.4, -0.4, 0.4};
        }
        double pad = 0.15 * Math.max(b[1] - b[0], b[3] - b[2]);
        double cx = (b[0] + b[1]) / 2;
        double cy = (b[2] + b[3]) / 2;
        double half = Math.max(b[1] - b[0], b[3] - b[2]) / 2 + pad;
        return new double[] {cx - half, cx + half, cy - half, cy + half};
    }

    private static int px(double x, double[] view) {
        return MARGIN + (int) Math.round((x - view[0]) / (view[1] - view[0]) * SIZE);
    }

    private static int py(double y, double[] view) {
        return MARGIN + SIZE - (int) Math.round((y - view[2]) / (view[3] - view[2]) * SIZE);
    }
}
