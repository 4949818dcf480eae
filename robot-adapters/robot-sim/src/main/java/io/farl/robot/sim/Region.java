package io.farl.robot.sim;

/**
 * A failure region on the table plane, for the clearance part of the {@code safe} signal. Distances are
 * planar; {@link #top()} lets a body pass above a fixture.
 */
abstract class Region {

    /** Height of the region's top above the table; infinite for boundaries. */
    abstract double top();

    /**
     * Clearance from a body at (x, y) with this footprint radius to the region, metres (0 or less when touching
     * or inside); writes into {@code toward} the unit vector from the body toward the nearest region point.
     */
    abstract double gap(double x, double y, double radius, double[] toward);

    double vx() {
        return 0;
    }

    double vy() {
        return 0;
    }

    /** Distance from (px, py) to the segment a-b, writing the unit vector toward the nearest point. */
    static double segment(double px, double py, double ax, double ay, double bx, double by, double[] toward) {
        double dx = bx - ax;
        double dy = by - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
        t = Math.max(0, Math.min(1, t));
        return toPoint(px, py, ax + t * dx, ay + t * dy, toward);
    }

    static double toPoint(double px, double py, double qx, double qy, double[] toward) {
        double ex = qx - px;
        double ey = qy - py;
        double d = Math.hypot(ex, ey);
        if (d > 1e-12) {
            toward[0] = ex / d;
            toward[1] = ey / d;
        } else {
            toward[0] = 0;
            toward[1] = 0;
        }
        return d;
    }

    /**
     * A boundary whose edges are failure lines: a body fails when its centre crosses one. Given as segments, so
     * that a goal mouth can be left out of an edge.
     */
    static final class Boundary extends Region {
        private final double[][] segments;

        /** @param segments each {ax, ay, bx, by} */
        Boundary(double[][] segments) {
            this.segments = segments.clone();
        }

        @Override
        double top() {
            return Double.POSITIVE_INFINITY;
        }

        @Override
        double gap(double x, double y, double radius, double[] toward) {
            double best = Double.POSITIVE_INFINITY;
            double[] t = new double[2];
            for (double[] s : segments) {
                double d = segment(x, y, s[0], s[1], s[2], s[3], t);
                if (d < best) {
                    best = d;
                    toward[0] = t[0];
                    toward[1] = t[1];
                }
            }
            return best;
        }
    }

    /** An axis-aligned box fixture or obstacle; its centre may move. */
    static final class Box extends Region {
        double cx;
        double cy;
        double vx;
        double vy;
        final double halfX;
        final double halfY;
        final double height;

        Box(double cx, double cy, double sizeX, double sizeY, double height) {
            this.cx = cx;
            this.cy = cy;
            this.halfX = sizeX / 2;
            this.halfY = sizeY / 2;
            this.height = height;
        }

        @Override
        double top() {
            return height;
        }

        @Override
        double gap(double x, double y, double radius, double[] toward) {
            double qx = Math.max(cx - halfX, Math.min(cx + halfX, x));
            double qy = Math.max(cy - halfY, Math.min(cy + halfY, y));
            if (qx == x && qy == y) {
                toward[0] = Math.signum(cx - x);
                toward[1] = Math.signum(cy - y);
                return -radius;
            }
            return toPoint(x, y, qx, qy, toward) - radius;
        }

        @Override
        double vx() {
            return vx;
        }

        @Override
        double vy() {
            return vy;
        }
    }

    /** An upright cylinder fixture (the vase). */
    static final class Circle extends Region {
        final double cx;
        final double cy;
        final double radius;
        final double height;

        Circle(double cx, double cy, double radius, double height) {
            this.cx = cx;
            this.cy = cy;
            this.radius = radius;
            this.height = height;
        }

        @Override
        double top() {
            return height;
        }

        @Override
        double gap(double x, double y, double bodyRadius, double[] toward) {
            return toPoint(x, y, cx, cy, toward) - radius - bodyRadius;
        }
    }
}
