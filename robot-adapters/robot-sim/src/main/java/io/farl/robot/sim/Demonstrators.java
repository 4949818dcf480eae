package io.farl.robot.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scripted demonstrators for every task and kind. They see only the observation and the episode's
 * {@link FailureBenchEnv#layout()} (read at their first action), plus the task's published dimensions. Each is
 * deterministic given its seed: its perturbation mode and magnitudes are drawn from the seed at creation.
 *
 * <ul>
 * <li>EXPERT: pushes along a clear path (around the wall end, a detour past the vase, around the obstacle, waiting
 *     while it is close) and stops at the goal.</li>
 * <li>FAILURE: a perturbed expert. Per seed it picks one of three modes: a biased aim (overshoot past the
 *     boundary, a shot wide of the goal, straight at the wall or vase, at the obstacle), a cut corner or tight
 *     detour with a random clearance, or a noisy, careless expert. Most episodes end in an IR failure; some
 *     succeed or time out.</li>
 * <li>RECOVERY: from a near-failure start, stops pushing, lifts or backs the hand off the hazard, pushes the object
 *     back to a clearance beyond the safe margin and then holds still.</li>
 * </ul>
 */
public final class Demonstrators {

    private Demonstrators() {
    }

    /**
     * A demonstrator for one episode of {@code env}, which must already be reset (to a task start for EXPERT and
     * FAILURE, to a near-failure start for RECOVERY).
     */
    public static Demonstrator create(TaskId task, DemoKind kind, long seed, FailureBenchEnv env) {
        if (task == null || kind == null || env == null) {
            throw new IllegalArgumentException("task, kind and env must be given");
        }
        if (env.task() != task) {
            throw new IllegalArgumentException("env runs " + env.task().cliName() + ", not " + task.cliName());
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL * (kind.ordinal() + 7));
        return switch (task) {
            case BOUNDED_PUSH -> new BoundedPushScript(kind, random, env);
            case BOUNDED_SOCCER -> new SoccerScript(kind, random, env);
            case FRAGILE_PUSH_WALL -> new WallScript(kind, random, env);
            case OBSTRUCTED_PUSH -> new VaseScript(kind, random, env);
            case DISTURBED_PUSH -> new ObstacleScript(kind, random, env);
        };
    }

    /** Common parts: lazy layout read, waypoint following, noise. */
    abstract static class Script implements Demonstrator {
        final DemoKind kind;
        final SplittableRandom random;
        final FailureBenchEnv env;
        /** Perturbation mode of a failure demonstrator, 0..2. */
        final int mode;
        double noise;
        private boolean planned;
        final List<double[]> waypoints = new ArrayList<>();
        int next;
        int phase;
        double tangentSign;

        Script(DemoKind kind, SplittableRandom random, FailureBenchEnv env) {
            this.kind = kind;
            this.random = random;
            this.env = env;
            double u = random.nextDouble();
            this.mode = u < 0.4 ? 0 : u < 0.75 ? 1 : 2;
        }

        @Override
        public final double[] act(double[] obs) {
            if (obs == null || obs.length != FailureBenchEnv.OBSERVATION_SIZE) {
                throw new IllegalArgumentException("observation must have " + FailureBenchEnv.OBSERVATION_SIZE
                        + " entries");
            }
            if (!planned) {
                plan(obs, env.layout());
                planned = true;
            }
            double[] a = decide(obs);
            if (noise > 0) {
                a[0] = PushController.clip(a[0] + noise * random.nextGaussian());
                a[1] = PushController.clip(a[1] + noise * random.nextGaussian());
            }
            return a;
        }

        abstract void plan(double[] obs, List<LayoutShape> layout);

        abstract double[] decide(double[] obs);

        /**
         * Follows the waypoints with the pusher, pure-pursuit style: the pusher aims at a point a few centimetres
         * ahead of the object's projection on the current segment, so sideways drift is steered out. The last
         * waypoint is pushed to directly, with a slow finish.
         */
        double[] followWaypoints(double[] obs, PushController pusher, double cap) {
            if (segmentStart == null) {
                segmentStart = new double[] {obs[4], obs[5]};
            }
            while (next < waypoints.size() - 1) {
                double[] w = waypoints.get(next);
                if (Math.hypot(obs[4] - w[0], obs[5] - w[1]) < 0.03 || progress(obs, segmentStart, w) >= 1) {
                    segmentStart = w;
                    next++;
                } else {
                    break;
                }
            }
            double[] w = waypoints.get(next);
            if (next == waypoints.size() - 1) {
                return pusher.push(obs, w[0], w[1], 0.02, cap);
            }
            double sx = w[0] - segmentStart[0];
            double sy = w[1] - segmentStart[1];
            double len = Math.max(1e-6, Math.hypot(sx, sy));
            double t = Math.max(0, progress(obs, segmentStart, w)) * len + LOOKAHEAD;
            if (t >= len) {
                return pusher.push(obs, w[0] + sx / len * (t - len), w[1] + sy / len * (t - len), 0.05, cap);
            }
            return pusher.push(obs, segmentStart[0] + sx / len * t, segmentStart[1] + sy / len * t, 0.05, cap);
        }

        private static final double LOOKAHEAD = 0.06;
        private double[] segmentStart;

        /** Fraction of the segment a-b covered by the object's projection. */
        static double progress(double[] obs, double[] a, double[] b) {
            double sx = b[0] - a[0];
            double sy = b[1] - a[1];
            double len2 = sx * sx + sy * sy;
            return len2 == 0 ? 1 : ((obs[4] - a[0]) * sx + (obs[5] - a[1]) * sy) / len2;
        }

        static LayoutShape shape(List<LayoutShape> layout, String role) {
            for (LayoutShape s : layout) {
                if (s.role().equals(role)) {
                    return s;
                }
            }
            throw new IllegalStateException("layout has no " + role);
        }

        double uniform(double lo, double hi) {
            return lo + (hi - lo) * random.nextDouble();
        }

        double sign() {
            return random.nextBoolean() ? 1 : -1;
        }
    }

    /** Inward push away from the nearest edge of a rectangle, then hold: recovery for both bounded tasks. */
    static double[] recoverInside(double[] obs, LayoutShape boundary, PushController pusher, double inset,
            double cap, Script s) {
        double x = obs[4];
        double y = obs[5];
        double[] gaps = {boundary.maxX() - x, x - boundary.minX(), boundary.maxY() - y, y - boundary.minY()};
        int edge = 0;
        for (int i = 1; i < 4; i++) {
            if (gaps[i] < gaps[edge]) {
                edge = i;
            }
        }
        if (s.phase == 0 && gaps[edge] >= inset - 0.01) {
            s.phase = 1;
        }
        if (s.phase == 1) {
            return PushController.moveTo(obs, obs[0], obs[1], 0.10);
        }
        double[] n = BoundedPushTask.outward(edge);
        double tx = x - n[0] * (inset - gaps[edge] + 0.01);
        double ty = y - n[1] * (inset - gaps[edge] + 0.01);
        return pusher.push(obs, tx, ty, 0.02, cap);
    }

    static final class BoundedPushScript extends Script {
        private final PushController pusher = new PushController(0.07, BoundedPushTask.PUCK_RADIUS, true);
        private LayoutShape boundary;
        private double aimX;
        private double aimY;

        BoundedPushScript(DemoKind kind, SplittableRandom random, FailureBenchEnv env) {
            super(kind, random, env);
        }

        @Override
        void plan(double[] obs, List<LayoutShape> layout) {
            boundary = shape(layout, "boundary");
            double gx = obs[36];
            double gy = obs[37];
            aimX = gx;
            aimY = gy;
            if (kind != DemoKind.FAILURE) {
                return;
            }
            if (mode == 0) {
                // overshoot: aim past the target's edge, a little to one side of it
                double[] gaps = {boundary.maxX() - gx, gx - boundary.minX(), boundary.maxY() - gy,
                    gy - boundary.minY()};
                int edge = 0;
                for (int i = 1; i < 4; i++) {
                    if (gaps[i] < gaps[edge]) {
                        edge = i;
                    }
                }
                double[] n = BoundedPushTask.outward(edge);
                double out = uniform(0.12, 0.25);
                double side = sign() * uniform(0.07, 0.15);
                aimX = gx + n[0] * out - n[1] * side;
                aimY = gy + n[1] * out + n[0] * side;
            } else {
                // biased push direction, carried on well past the target distance; mode 2 adds noise to a
                // smaller bias
                double angle = sign() * Math.toRadians(mode == 1 ? uniform(20, 45) : uniform(8, 20));
                double dx = gx - obs[4];
                double dy = gy - obs[5];
                double k = uniform(2.5, 4.0);
                aimX = obs[4] + k * (Math.cos(angle) * dx - Math.sin(angle) * dy);
                aimY = obs[5] + k * (Math.sin(angle) * dx + Math.cos(angle) * dy);
                noise = mode == 2 ? 0.5 : 0;
            }
        }

        @Override
        double[] decide(double[] obs) {
            if (kind == DemoKind.RECOVERY) {
                return recoverInside(obs, boundary, pusher, BoundedPushTask.MARGIN + 0.05, 0.08, this);
            }
            if (kind == DemoKind.FAILURE) {
                return pusher.push(obs, aimX, aimY, 0.06, 0.12);
            }
            return pusher.push(obs, aimX, aimY, 0.02, 0.10);
        }
    }

    static final class SoccerScript extends Script {
        private final PushController pusher = new PushController(0.08, BoundedSoccerTask.BALL_RADIUS, true);
        private LayoutShape boundary;
        private double aimX;
        private double aimY;

        SoccerScript(DemoKind kind, SplittableRandom random, FailureBenchEnv env) {
            super(kind, random, env);
        }

        @Override
        void plan(double[] obs, List<LayoutShape> layout) {
            boundary = shape(layout, "boundary");
            aimX = obs[36];
            aimY = obs[37];
            if (kind != DemoKind.FAILURE) {
                return;
            }
            if (mode == 0) {
                aimX = boundary.maxX() + 0.04;
                aimY = obs[37] + sign() * uniform(0.09, 0.22);
            } else if (mode == 1) {
                aimX = uniform(-0.1, 0.2);
                aimY = sign() * 0.3;
            } else {
                noise = 0.6;
                aimY += uniform(-0.06, 0.06);
            }
        }

        @Override
        double[] decide(double[] obs) {
            if (kind == DemoKind.RECOVERY) {
                return recoverInside(obs, boundary, pusher, BoundedSoccerTask.MARGIN + 0.06, 0.06, this);
            }
            return pusher.push(obs, aimX, aimY, 0.06, 0.14);
        }
    }

    static final class WallScript extends Script {
        private final PushController pusher = new PushController(0.09, FragilePushWallTask.BLOCK_SIZE / 2, false);
        private LayoutShape wall;

        WallScript(DemoKind kind, SplittableRandom random, FailureBenchEnv env) {
            super(kind, random, env);
        }

        @Override
        void plan(double[] obs, List<LayoutShape> layout) {
            wall = shape(layout, "wall");
            double gx = obs[36];
            double gy = obs[37];
            double side = (obs[5] + gy) / 2 >= wall.y() ? 1 : -1;
            double endY = wall.y() + side * wall.h() / 2;
            double beyond = 0.09;
            double before = 0.09;
            if (kind == DemoKind.FAILURE) {
                if (mode == 0) {
                    waypoints.add(new double[] {gx, gy});
                    return;
                }
                if (mode == 1) {
                    beyond = uniform(-0.06, 0.01);
                    before = uniform(0.03, 0.09);
                } else {
                    noise = 0.5;
                    beyond = uniform(0.03, 0.06);
                    before = uniform(0.05, 0.09);
                }
            }
            waypoints.add(new double[] {wall.x() - before, endY + side * beyond});
            waypoints.add(new double[] {wall.x() + before, endY + side * beyond});
            waypoints.add(new double[] {gx, gy});
        }

        @Override
        double[] decide(double[] obs) {
            if (kind == DemoKind.RECOVERY) {
                double s = obs[4] >= wall.x() ? 1 : -1;
                double wanted = wall.w() / 2 + 0.028 + FragilePushWallTask.MARGIN + 0.04;
                if (phase == 0 && s * (obs[4] - wall.x()) >= wanted - 0.01) {
                    phase = 1;
                }
                if (phase == 1) {
                    return PushController.moveTo(obs, obs[0], obs[1], 0.10);
                }
                return pusher.push(obs, wall.x() + s * (wanted + 0.01), obs[5], 0.02, 0.06);
            }
            return followWaypoints(obs, pusher, 0.10);
        }
    }

    /** Tangential push of the object away from a round or boxy hazard at (cx, cy), then hold high. */
    static double[] recoverAway(double[] obs, double cx, double cy, double objectGap, double handGap,
            double wantedGap, double safeZ, PushController pusher, Script s) {
        if (s.phase == 0) {
            // back the hand off first: up and away from the hazard
            if (handGap < wantedGap && obs[2] < safeZ - 0.01) {
                double ax = obs[0] - cx;
                double ay = obs[1] - cy;
                double d = Math.max(1e-6, Math.hypot(ax, ay));
                return PushController.action(ax / d * TaskModel.MAX_SPEED * 0.5, ay / d * TaskModel.MAX_SPEED * 0.5,
                        TaskModel.MAX_SPEED);
            }
            s.phase = objectGap < wantedGap ? 1 : 2;
        }
        if (s.phase == 1) {
            if (objectGap >= wantedGap + 0.01) {
                s.phase = 2;
            } else {
                // slide the object along the tangent of the hazard: its distance grows and the hand, behind it
                // on the tangent, stays clear; the direction is kept once chosen, toward the goal
                double rx = obs[4] - cx;
                double ry = obs[5] - cy;
                double d = Math.max(1e-6, Math.hypot(rx, ry));
                double tx = -ry / d;
                double ty = rx / d;
                if (s.tangentSign == 0) {
                    s.tangentSign = tx * (obs[36] - obs[4]) + ty * (obs[37] - obs[5]) >= 0 ? 1 : -1;
                }
                return pusher.push(obs, obs[4] + s.tangentSign * tx * 0.05, obs[5] + s.tangentSign * ty * 0.05,
                        0.03, 0.06);
            }
        }
        return PushController.moveTo(obs, obs[0], obs[1], safeZ);
    }

    static final class VaseScript extends Script {
        private PushController pusher;
        private LayoutShape vase;

        VaseScript(DemoKind kind, SplittableRandom random, FailureBenchEnv env) {
            super(kind, random, env);
        }

        @Override
        void plan(double[] obs, List<LayoutShape> layout) {
            vase = shape(layout, "vase");
            double lift = ObstructedPushTask.VASE_HEIGHT + 0.04;
            pusher = new PushController(lift, FragilePushWallTask.BLOCK_SIZE / 2, false, vase.x(), vase.y(), vase.w());
            double gx = obs[36];
            double gy = obs[37];
            double dx = gx - obs[4];
            double dy = gy - obs[5];
            double len = Math.hypot(dx, dy);
            double ux = dx / len;
            double uy = dy / len;
            double off = (vase.x() - obs[4]) * -uy + (vase.y() - obs[5]) * ux;
            double side = off > 0 ? -1 : 1;
            double clearance = 0.12;
            if (kind == DemoKind.FAILURE) {
                if (mode == 0) {
                    waypoints.add(new double[] {gx, gy});
                    return;
                }
                if (mode == 1) {
                    clearance = uniform(0.0, 0.07);
                } else {
                    noise = 0.5;
                    clearance = uniform(0.06, 0.10);
                    pusher = new PushController(0.06, FragilePushWallTask.BLOCK_SIZE / 2, false);
                }
            }
            double lx = -uy * side * clearance;
            double ly = ux * side * clearance;
            waypoints.add(new double[] {vase.x() - ux * 0.10 + lx, vase.y() - uy * 0.10 + ly});
            waypoints.add(new double[] {vase.x() + ux * 0.14 + lx, vase.y() + uy * 0.14 + ly});
            waypoints.add(new double[] {gx, gy});
        }

        @Override
        double[] decide(double[] obs) {
            if (kind == DemoKind.RECOVERY) {
                double[] t = new double[2];
                Region.Circle c = new Region.Circle(vase.x(), vase.y(), vase.w(), ObstructedPushTask.VASE_HEIGHT);
                double og = c.gap(obs[4], obs[5], 0.0283, t);
                double hg = c.gap(obs[0], obs[1], Bench.HAND_RADIUS, t);
                return recoverAway(obs, vase.x(), vase.y(), og, hg, ObstructedPushTask.MARGIN + 0.03,
                        ObstructedPushTask.VASE_HEIGHT + 0.05, pusher, this);
            }
            return followWaypoints(obs, pusher, 0.10);
        }
    }

    static final class ObstacleScript extends Script {
        private PushController pusher;
        private double detourSide;
        private double clearance = 0.12;
        private boolean careful = true;
        private static final double HALF = DisturbedPushTask.OBSTACLE_SIZE / 2;

        ObstacleScript(DemoKind kind, SplittableRandom random, FailureBenchEnv env) {
            super(kind, random, env);
        }

        @Override
        void plan(double[] obs, List<LayoutShape> layout) {
            shape(layout, "obstacle");
            double lift = DisturbedPushTask.OBSTACLE_HEIGHT + 0.05;
            if (kind == DemoKind.FAILURE) {
                careful = false;
                if (mode == 1) {
                    clearance = uniform(0.0, 0.06);
                    detourSide = sign();
                } else if (mode == 2) {
                    noise = 0.4;
                    lift = 0.06;
                }
            }
            pusher = new PushController(lift, FragilePushWallTask.BLOCK_SIZE / 2, false);
        }

        @Override
        double[] decide(double[] obs) {
            double cx = obs[11];
            double cy = obs[12];
            Region.Box box = new Region.Box(cx, cy, DisturbedPushTask.OBSTACLE_SIZE, DisturbedPushTask.OBSTACLE_SIZE,
                    DisturbedPushTask.OBSTACLE_HEIGHT);
            double[] t = new double[2];
            double og = box.gap(obs[4], obs[5], 0.0283, t);
            double otx = t[0];
            double oty = t[1];
            double hg = box.gap(obs[0], obs[1], Bench.HAND_RADIUS, t);
            boolean handLow = obs[2] < DisturbedPushTask.OBSTACLE_HEIGHT + 0.02;
            if (kind == DemoKind.RECOVERY) {
                return recoverAway(obs, cx, cy, og, handLow ? hg : 1, DisturbedPushTask.MARGIN + 0.03,
                        DisturbedPushTask.OBSTACLE_HEIGHT + 0.05, pusher, this);
            }
            double gx = obs[36];
            double gy = obs[37];
            if (kind == DemoKind.FAILURE && mode == 0) {
                return pusher.push(obs, cx, cy, 0.06, 0.10); // chases the obstacle
            }
            if (kind == DemoKind.FAILURE && mode == 1 && phase == 0) {
                // a detour that tracks the obstacle but passes it far too closely
                double dx = obs[36] - obs[4];
                double dy = obs[37] - obs[5];
                double len = Math.max(1e-6, Math.hypot(dx, dy));
                double ux = dx / len;
                double uy = dy / len;
                if ((cx - obs[4]) * ux + (cy - obs[5]) * uy < 0) {
                    phase = 1;
                } else {
                    return pusher.push(obs, cx - uy * detourSide * clearance, cy + ux * detourSide * clearance,
                            0.05, 0.10);
                }
            }
            if (careful) {
                pusher.keepOut(cx, cy, HALF * Math.sqrt(2));
            }
            double wx = gx;
            double wy = gy;
            double dx = gx - obs[4];
            double dy = gy - obs[5];
            double len = Math.hypot(dx, dy);
            if (careful && len > 1e-6) {
                double ux = dx / len;
                double uy = dy / len;
                double along = (cx - obs[4]) * ux + (cy - obs[5]) * uy;
                double lateral = (cx - obs[4]) * -uy + (cy - obs[5]) * ux;
                double need = HALF * Math.sqrt(2) + 0.0283 + 0.05;
                if (along > -0.02 && along < len + 0.03 && Math.abs(lateral) < need) {
                    if (detourSide == 0) {
                        detourSide = lateral > 0 ? -1 : 1;
                    }
                    double c = Math.max(clearance, need + 0.02);
                    if (kind == DemoKind.FAILURE) {
                        c = clearance;
                    }
                    wx = cx - uy * detourSide * c;
                    wy = cy + ux * detourSide * c;
                } else {
                    detourSide = 0;
                }
                // wait while the obstacle is close ahead of the object or next to the low hand
                boolean ahead = otx * ux + oty * uy > 0.3;
                if ((og < 0.05 && ahead) || (handLow && hg < 0.04)) {
                    return PushController.moveTo(obs, obs[0], obs[1], obs[2]);
                }
            }
            return pusher.push(obs, wx, wy, len < 0.05 ? 0.02 : 0.04, 0.10);
        }
    }
}
