package io.farl.controller.dataset;

/**
 * A dataset value breaks a rule of the format (non-finite number, wrong size, out-of-order index, footer totals
 * that disagree with the steps). Names the offending field in the protobuf spelling, e.g.
 * {@code step.observation[3]}, so the same name shows up whether the value came from code or from a file.
 */
public class InvalidRecordException extends IllegalArgumentException {

    private final String field;

    public InvalidRecordException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    /** The offending field, e.g. {@code footer.steps}. */
    public String field() {
        return field;
    }
}
