package io.farl.pipeline.report;

import io.farl.controller.dataset.Episode;

/**
 * One executed step of the C_H trace.
 *
 * @param step        step index within the whole session, from 0
 * @param episode     episode index
 * @param failureCost C_H of the task proposal, NaN when none was recorded
 * @param mode        who was in charge of the arm
 * @param irFailure   C(s, a) = 1 on this step
 */
record TracePoint(long step, long episode, double failureCost, Episode.Mode mode, boolean irFailure) {
}
