package io.farl.interchange;

/**
 * An export or import cannot go on with its input: a missing or malformed meta file, a table whose header, cell
 * count or cell does not fit, a non-finite observation, datasets that do not fit one layout. The message names
 * the file and, for a table, the row and column, e.g. {@code data/chunk-000/episode_000003.csv: row 7 (line 9),
 * column observation.state.4: must be finite, got NaN}. The command line reports it as bad input.
 */
public final class InterchangeInputException extends RuntimeException {
    public InterchangeInputException(String message) {
        super(message);
    }

    public InterchangeInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
