package io.certform.keystore;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An issued certificate as the key store keeps it: its private key and its chain, leaf first. Its
 * {@link #toString()} names the leaf, never the key.
 */
public record Issued(PrivateKey privateKey, List<X509Certificate> chain) {

    public Issued {
        if (privateKey == null || chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("an issued certificate has a private key and a chain of at least one"
                    + " certificate");
        }
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "Issued[" + leaf().getSubjectX500Principal().getName() + ", serial " + leaf().getSerialNumber()
                .toString(16) + ", key (sensitive)]";
    }
}
