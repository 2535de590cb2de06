package io.certform.provider;

/** The provider cannot be reached or used as configured; the message says what to do. */
public final class ProviderException extends Exception {
    public ProviderException(String message) {
        super(message);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
