package io.farl.controller.teleop;

import io.farl.controller.dataset.Episode;
import java.util.Objects;

/**
 * What the operator decided about an ended episode.
 *
 * @param verdict keep it (written with {@code label}), discard it, or discard it and record the same layout again
 * @param label   the episode's label when kept; null otherwise
 * @param note    free text stored in the footer (kept episodes), may be empty
 */
public record EpisodeDecision(Verdict verdict, Episode.Label label, String note) {

    /** Keep, discard, or discard and record the same layout again. */
    public enum Verdict {
        KEEP, DISCARD, RERECORD
    }

    public EpisodeDecision {
        Objects.requireNonNull(verdict, "verdict");
        if ((verdict == Verdict.KEEP) != (label != null)) {
            throw new IllegalArgumentException("a kept episode needs a label, and only a kept one: " + verdict
                    + " with " + label);
        }
        note = note == null ? "" : note;
    }

    public static EpisodeDecision keep(Episode.Label label, String note) {
        return new EpisodeDecision(Verdict.KEEP, Objects.requireNonNull(label, "label"), note);
    }

    public static EpisodeDecision discard() {
        return new EpisodeDecision(Verdict.DISCARD, null, "");
    }

    public static EpisodeDecision rerecord() {
        return new EpisodeDecision(Verdict.RERECORD, null, "");
    }
}
