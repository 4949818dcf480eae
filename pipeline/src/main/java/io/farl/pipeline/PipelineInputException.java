package io.farl.pipeline;

/**
 * The input of a pipeline step cannot be used: a missing or damaged dataset, model folder or calibration, data of
 * another task or seed, an unknown budget. The message names the file or value; the caller decides how to report
 * it (the command line reports it in one line as bad input).
 */
public final class PipelineInputException extends RuntimeException {
    public PipelineInputException(String message) {
        super(message);
    }

    public PipelineInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
