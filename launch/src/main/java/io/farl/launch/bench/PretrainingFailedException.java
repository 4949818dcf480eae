package io.farl.launch.bench;

/** A pretraining (child process) failed; carries its exit code, and the message names its log. */
public final class PretrainingFailedException extends RuntimeException {
    private final int exitCode;

    PretrainingFailedException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
