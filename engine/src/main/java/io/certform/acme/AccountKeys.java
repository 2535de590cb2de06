package io.certform.acme;

import java.security.KeyPair;
import java.util.Optional;

/**
 * Where the ACME account key of a directory is kept (the key store implements it): the issuer asks for it, and when
 * there is none it makes one and hands it here before registering the account with it.
 */
public interface AccountKeys {

    /** The account key kept for {@code directoryUrl}, if any. */
    Optional<KeyPair> find(String directoryUrl);

    /** Keeps {@code key} durably as the account key of {@code directoryUrl}; returns only once it is kept. */
    void keep(String directoryUrl, KeyPair key);
}
