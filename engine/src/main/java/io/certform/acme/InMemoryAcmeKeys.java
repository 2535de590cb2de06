package io.certform.acme;

import java.security.KeyPair;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Account and order keys held in memory: for tests, and for callers that keep nothing between runs. */
public final class InMemoryAcmeKeys {

    private final Map<String, KeyPair> accounts = new ConcurrentHashMap<>();
    private final Map<String, KeyPair> orders = new ConcurrentHashMap<>();

    /** The account keys, by directory URL. */
    public AccountKeys accountKeys() {
        return new AccountKeys() {
            @Override
            public Optional<KeyPair> find(String directoryUrl) {
                return Optional.ofNullable(accounts.get(directoryUrl));
            }

            @Override
            public void keep(String directoryUrl, KeyPair key) {
                accounts.put(directoryUrl, key);
            }
        };
    }

    /** The order keys, by order URL. */
    public OrderKeys orderKeys() {
        return new OrderKeys() {
            @Override
            public Optional<KeyPair> find(String orderUrl) {
                return Optional.ofNullable(orders.get(orderUrl));
            }

            @Override
            public void keep(String orderUrl, KeyPair key) {
                orders.put(orderUrl, key);
            }
        };
    }

    @Override
    public String toString() {
        return "InMemoryAcmeKeys[" + accounts.size() + " account keys, " + orders.size() + " order keys]";
    }
}
