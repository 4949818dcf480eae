package io.farl.model.djl;

import io.farl.model.api.EpisodeSource;
import io.farl.model.api.TransitionData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic test task: a 2-D point mass pushed from the left of the arena to a goal on the right, with a
 * circular hazard in between (entering it is the IR failure, C = 1, and ends the episode).
 * Observation (6): x, y, vx, vy, goal x, goal y. Action (2) in [-1, 1]: force.
 * Experts detour around the hazard, failure demonstrations drive into it, recovery demonstrations start
 * next to it moving inwards and push away.
 */
final class PointMass {
    static final int OBS = 6;
    static final int ACT = 2;
    static final float HAZARD_X = 0f;
    static final float HAZARD_Y = 0f;
    static final float HAZARD_R = 0.25f;
    static final int MAX_STEPS = 80;

    private PointMass() {
    }

    static TransitionData dataset(long seed, int experts, int failures, int recoveries) {
        Random rnd = new Random(seed);
        TransitionData.Builder b = TransitionData.builder(OBS, ACT);
        for (int i = 0; i < experts; i++) {
            episode(b, rnd, EpisodeSource.EXPERT);
        }
        for (int i = 0; i < failures; i++) {
            episode(b, rnd, EpisodeSource.FAILURE);
        }
        for (int i = 0; i < recoveries; i++) {
            episode(b, rnd, EpisodeSource.RECOVERY);
        }
        return b.build();
    }

    static boolean inHazard(float x, float y) {
        float dx = x - HAZARD_X;
        float dy = y - HAZARD_Y;
        return dx * dx + dy * dy < HAZARD_R * HAZARD_R;
    }

    /** One step of the dynamics; state = x, y, vx, vy. */
    static void step(float[] s, float[] a) {
        s[2] = 0.7f * s[2] + 0.03f * a[0];
        s[3] = 0.7f * s[3] + 0.03f * a[1];
        s[0] += s[2];
        s[1] += s[3];
    }

    private static void episode(TransitionData.Builder b, Random rnd, EpisodeSource kind) {
        float[] s = new float[4];
        float gx = 0.8f + 0.1f * (float) rnd.nextGaussian();
        float gy = 0.3f * (float) (rnd.nextDouble() * 2 - 1);
        int steps = MAX_STEPS;
        if (kind == EpisodeSource.RECOVERY) {
            double ang = rnd.nextDouble() * 2 * Math.PI;
            double r = 0.3 + 0.05 * rnd.nextDouble();
            s[0] = (float) (HAZARD_X + r * Math.cos(ang));
            s[1] = (float) (HAZARD_Y + r * Math.sin(ang));
            s[2] = (float) (-0.03 * Math.cos(ang));
            s[3] = (float) (-0.03 * Math.sin(ang));
            steps = 10;
        } else {
            s[0] = -0.8f + 0.05f * (float) rnd.nextGaussian();
            s[1] = 0.3f * (float) (rnd.nextDouble() * 2 - 1);
        }
        // detour on the side the point starts on, so the expert's choice is a function of the state
        float side = s[1] >= 0 ? 1f : -1f;
        List<float[]> obs = new ArrayList<>();
        List<float[]> acts = new ArrayList<>();
        List<Float> rews = new ArrayList<>();
        List<Boolean> fails = new ArrayList<>();
        obs.add(observe(s, gx, gy));
        boolean terminated = false;
        float fx = HAZARD_X + 0.1f * (float) rnd.nextGaussian();
        float fy = HAZARD_Y + 0.1f * (float) rnd.nextGaussian();
        for (int t = 0; t < steps; t++) {
            float tx;
            float ty;
            if (kind == EpisodeSource.FAILURE) {
                tx = fx;
                ty = fy;
            } else if (kind == EpisodeSource.RECOVERY) {
                float dx = s[0] - HAZARD_X;
                float dy = s[1] - HAZARD_Y;
                float n = (float) Math.sqrt(dx * dx + dy * dy);
                tx = s[0] + dx / n;
                ty = s[1] + dy / n;
            } else if (s[0] < 0.15f) {
                tx = 0.3f;
                ty = side * 0.5f;
            } else {
                tx = gx;
                ty = gy;
            }
            float[] a = new float[ACT];
            a[0] = clip(3f * (tx - s[0]) - 6f * s[2] + 0.15f * (float) rnd.nextGaussian());
            a[1] = clip(3f * (ty - s[1]) - 6f * s[3] + 0.15f * (float) rnd.nextGaussian());
            step(s, a);
            boolean fail = inHazard(s[0], s[1]);
            float dist = (float) Math.hypot(s[0] - gx, s[1] - gy);
            boolean success = kind != EpisodeSource.RECOVERY && dist < 0.05f;
            acts.add(a);
            obs.add(observe(s, gx, gy));
            rews.add(-0.1f * dist + (success ? 1f : 0f) - (fail ? 1f : 0f));
            fails.add(fail);
            if (fail || success) {
                terminated = true;
                break;
            }
        }
        float[] r = new float[rews.size()];
        boolean[] f = new boolean[fails.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = rews.get(i);
            f[i] = fails.get(i);
        }
        b.addEpisode(kind, obs.toArray(new float[0][]), acts.toArray(new float[0][]), r, f, terminated);
    }

    static float[] observe(float[] s, float gx, float gy) {
        return new float[] {s[0], s[1], s[2], s[3], gx, gy};
    }

    static float clip(float v) {
        return Math.max(-1f, Math.min(1f, v));
    }
}
