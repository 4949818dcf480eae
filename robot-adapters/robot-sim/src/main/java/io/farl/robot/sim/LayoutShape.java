package io.farl.robot.sim;

/**
 * One flat shape of an episode's layout on the table plane, for plots and for scripted demonstrators.
 *
 * @param kind RECT or CIRCLE
 * @param role what the shape is: {@code boundary}, {@code wall}, {@code vase}, {@code obstacle}, {@code goal},
 *             {@code target} or {@code table}
 * @param x    centre x, metres
 * @param y    centre y, metres
 * @param w    RECT: full extent along x; CIRCLE: radius; metres
 * @param h    RECT: full extent along y; CIRCLE: 0; metres
 */
public record LayoutShape(Kind kind, String role, double x, double y, double w, double h) {

    /** Shape kinds. */
    public enum Kind {
        RECT, CIRCLE
    }

    public LayoutShape {
        if (kind == null || role == null || role.isBlank()) {
            throw new IllegalArgumentException("layout shape needs a kind and a role");
        }
        if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(w) || !Double.isFinite(h) || w <= 0
                || h < 0 || (kind == Kind.RECT && h <= 0)) {
            throw new IllegalArgumentException("layout shape " + role + " has bad geometry: " + x + ", " + y + ", "
                    + w + ", " + h);
        }
    }

    static LayoutShape rect(String role, double x, double y, double w, double h) {
        return new LayoutShape(Kind.RECT, role, x, y, w, h);
    }

    static LayoutShape circle(String role, double x, double y, double radius) {
        return new LayoutShape(Kind.CIRCLE, role, x, y, radius, 0);
    }

    public double minX() {
        return kind == Kind.RECT ? x - w / 2 : x - w;
    }

    public double maxX() {
        return kind == Kind.RECT ? x + w / 2 : x + w;
    }

    public double minY() {
        return kind == Kind.RECT ? y - h / 2 : y - w;
    }

    public double maxY() {
        return kind == Kind.RECT ? y + h / 2 : y + w;
    }
}
