package io.farl.pipeline.bench;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A confidence interval, written to JSON as {@code [lo, hi]}. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"lo", "hi"})
public record Interval(double lo, double hi) {
    public Interval {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("interval needs lo <= hi, got [" + lo + ", " + hi + "]");
        }
    }

    public boolean contains(double x) {
        return lo <= x && x <= hi;
    }
}
