package io.certform.acme;

import java.security.KeyPair;
import java.util.Optional;

/**
 * Where the certificate key of an order is kept between its finalization and the download of its certificate (the
 * key store implements it): the issuer hands the fresh key here before it sends the CSR, so that a run killed after
 * the CSR left can still use the certificate the order yields.
 */
public interface OrderKeys {

    /** The key kept for the order {@code orderUrl}, if any. */
    Optional<KeyPair> find(String orderUrl);

    /** Keeps {@code key} durably for the order {@code orderUrl}; returns only once it is kept. */
    void keep(String orderUrl, KeyPair key);
}
