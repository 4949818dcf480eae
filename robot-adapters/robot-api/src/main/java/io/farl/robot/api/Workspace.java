package io.farl.robot.api;

/** Axis-aligned box the end effector must stay in, in metres, robot base frame. */
public record Workspace(double minX, double minY, double minZ, double maxX, double maxY, double maxZ) {
    public Workspace {
        double[] all = {minX, minY, minZ, maxX, maxY, maxZ};
        if (Values.firstNonFinite(all) >= 0) {
            throw new IllegalArgumentException("workspace bounds must be finite");
        }
        if (!(minX < maxX && minY < maxY && minZ < maxZ)) {
            throw new IllegalArgumentException("workspace min must be below max on every axis");
        }
    }

    public boolean contains(double x, double y, double z) {
        return x >= minX && x <= maxX && y >= minY && y <= maxY && z >= minZ && z <= maxZ;
    }

    /** True when {@code inner} lies entirely inside this box (config may only tighten limits). */
    public boolean encloses(Workspace inner) {
        return inner.minX >= minX && inner.minY >= minY && inner.minZ >= minZ && inner.maxX <= maxX
                && inner.maxY <= maxY && inner.maxZ <= maxZ;
    }
}
