package io.flowguard.bronze.cli;

/**
 * A failure the CLI reports as one line telling the user what to fix, with an exit code; no stack trace unless
 * {@code --verbose}.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code: a check failed or the command found a problem. */
    static final int PROBLEM = 1;
    /** Exit code: bad usage or missing settings (picocli's usage code). */
    static final int USAGE = 2;
    /** Exit code: Kafka or the warehouse could not be reached or read. */
    static final int UNREACHABLE = 3;

    private final int exitCode;

    CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(message, USAGE);
    }

    int exitCode() {
        return exitCode;
    }
}
