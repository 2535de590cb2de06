package io.certform.keystore;

/**
 * The key store cannot be read or written: the message says what and what to do, and never holds key material or
 * the password.
 */
public class KeystoreException extends Exception {

    public KeystoreException(String message) {
        super(message);
    }

    public KeystoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Another run wrote the key store since this one read it: nothing was written; read it again. */
    public static final class Conflict extends KeystoreException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** The password does not open the key store (or its bytes were changed). */
    public static final class WrongPassword extends KeystoreException {
        public WrongPassword(String message) {
            super(message);
        }
    }
}
