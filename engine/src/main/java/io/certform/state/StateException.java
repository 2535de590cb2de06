package io.certform.state;

/** The state cannot be read or written; the message says which state, what is wrong and what to do. */
public class StateException extends Exception {
    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
