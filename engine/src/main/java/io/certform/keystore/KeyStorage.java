package io.certform.keystore;

/**
 * Where the key store's encrypted bytes live. A write names the version it read, and is refused
 * ({@link KeystoreException.Conflict}) when another writer changed the bytes since: no write is lost.
 */
public interface KeyStorage {

    /**
     * The stored bytes and their version.
     *
     * @param bytes   the encrypted PKCS#12
     * @param version opaque; what a write names to be accepted
     */
    record Stored(byte[] bytes, String version) {
    }

    /** The stored key store, or null when none was ever written. */
    Stored read() throws KeystoreException;

    /**
     * Replaces the stored bytes, atomically: a reader sees the old bytes or the new, never a mix.
     *
     * @param expectedVersion the version read, or null when there was none
     * @return the new version
     * @throws KeystoreException.Conflict when the stored version is no longer {@code expectedVersion}
     */
    String write(byte[] bytes, String expectedVersion) throws KeystoreException;

    /** Where it is, for messages: a path, or a PostgreSQL workspace (never a password). */
    String describe();
}
