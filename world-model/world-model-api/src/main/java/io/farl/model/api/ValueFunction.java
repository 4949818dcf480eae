package io.farl.model.api;

/** State value V(s) in reward units (discounted return). */
public interface ValueFunction {
    double value(float[] observation);
}
