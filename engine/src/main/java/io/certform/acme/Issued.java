package io.certform.acme;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate the CA issued: the order and certificate URLs, the private key (a secret: never shown by
 * {@link #toString()}) and the chain, leaf first.
 */
public record Issued(String orderUrl, String certificateUrl, KeyPair keyPair, List<X509Certificate> chain) {

    public Issued {
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "Issued[order " + orderUrl + ", certificate " + certificateUrl + ", serial "
                + leaf().getSerialNumber().toString(16) + ", " + chain.size() + " certificates]";
    }
}
