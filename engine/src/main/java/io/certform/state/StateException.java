package io.certform.state;

/** The state file cannot be read or written; the message says which file, what is wrong and what to do. */
public final class StateException extends Exception {
    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
