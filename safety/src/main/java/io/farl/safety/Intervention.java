package io.farl.safety;

/**
 * One limit applied to one action entry, as recorded with the step.
 *
 * @param limit     which limit acted
 * @param index     action index (observation index for {@link Limit#HAND_POSITION}), -1 when not per entry
 * @param requested value before this limit (normalised action units; metres for the hand position)
 * @param applied   value after this limit
 */
public record Intervention(Limit limit, int index, double requested, double applied) {
}
