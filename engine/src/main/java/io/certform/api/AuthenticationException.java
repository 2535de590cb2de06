package io.certform.api;

import java.io.IOException;

/** Credentials were refused before the gateway call could be made (e.g. IAM refused the password). */
public final class AuthenticationException extends IOException {
    private final int status;

    public AuthenticationException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
