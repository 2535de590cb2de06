package io.certform.keystore;

import io.certform.acme.AccountKeys;
import io.certform.acme.OrderKeys;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.Optional;

/**
 * The key store as the ACME issuer asks for it: the account key of each directory ({@link AccountKeys}) and the
 * certificate key of an order ({@link OrderKeys}), each kept durably (the key store saved, encrypted) before the
 * issuer goes on: an account key before the account is registered, an order key before its CSR leaves.
 */
public final class AcmeKeyStore {

    private final IssuedKeys keys;

    public AcmeKeyStore(IssuedKeys keys) {
        this.keys = keys;
    }

    /** The account keys, one per directory URL. */
    public AccountKeys accounts() {
        return new AccountKeys() {
            @Override
            public Optional<KeyPair> find(String directoryUrl) {
                return keys.account(directoryUrl);
            }

            @Override
            public void keep(String directoryUrl, KeyPair key) {
                durably(() -> keys.putAccount(directoryUrl, key));
            }
        };
    }

    /** The order keys. */
    public OrderKeys orders() {
        return new OrderKeys() {
            @Override
            public Optional<KeyPair> find(String orderUrl) {
                return keys.orderKey(orderUrl);
            }

            @Override
            public void keep(String orderUrl, KeyPair key) {
                durably(() -> keys.putOrderKey(orderUrl, key));
            }
        };
    }

    private interface Change {
        void apply() throws KeystoreException;
    }

    private void durably(Change change) {
        try {
            change.apply();
            keys.save();
        } catch (KeystoreException e) {
            throw new KeptFailed(e);
        }
    }

    /** Keeping a key failed: the issuance stops there (the message names the store, never a key). */
    public static final class KeptFailed extends UncheckedIOException {
        public KeptFailed(KeystoreException cause) {
            super(cause.getMessage(), new java.io.IOException(cause.getMessage(), cause));
        }
    }
}
