package io.certform.cli;

/** Ends a command with a message for the user and an exit code; {@link Main} prints it. */
final class CliException extends RuntimeException {
    final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }
}
