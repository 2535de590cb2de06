package io.certform.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * What the TLS port presents for a certificate: the chain as uploaded (leaf first) and its private key, as JDK
 * objects so that the JDK's TLS server can use them. Held in memory only: never written with the world, never
 * shown by {@code /_simulator/state}, never printed ({@link #toString()} names the leaf's serial only).
 */
final class TlsMaterial {

    private static final AtomicLong IDS = new AtomicLong();

    /** Unique in the process; the key manager's alias. */
    final String id;
    private final X509Certificate[] chain;
    private final PrivateKey key;

    private TlsMaterial(X509Certificate[] chain, PrivateKey key) {
        this.id = "m" + IDS.incrementAndGet();
        this.chain = chain;
        this.key = key;
    }

    /**
     * Converts an uploaded chain and key for the JDK's TLS server; null when the JDK cannot serve them (an SM2
     * key, for one: such a certificate is bound but served by nobody).
     */
    static TlsMaterial of(List<X509CertificateHolder> chain, PrivateKey parsedKey) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            X509Certificate[] certificates = new X509Certificate[chain.size()];
            for (int i = 0; i < certificates.length; i++) {
                certificates[i] = (X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(chain.get(i).getEncoded()));
            }
            String algorithm = parsedKey.getAlgorithm().equals("ECDSA") ? "EC" : parsedKey.getAlgorithm();
            PrivateKey key = KeyFactory.getInstance(algorithm)
                    .generatePrivate(new PKCS8EncodedKeySpec(parsedKey.getEncoded()));
            return new TlsMaterial(certificates, key);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return null;
        }
    }

    /** The chain to present: the whole upload, or the leaf alone (a broken chain). */
    X509Certificate[] chain(boolean leafOnly) {
        return leafOnly ? new X509Certificate[] {chain[0]} : chain.clone();
    }

    PrivateKey key() {
        return key;
    }

    /** The key's algorithm as the JDK's key manager asks for it: {@code RSA} or {@code EC}. */
    String keyType() {
        return key.getAlgorithm();
    }

    String leafSerialHex() {
        return chain[0].getSerialNumber().toString(16);
    }

    @Override
    public String toString() {
        return "TlsMaterial[" + id + ", leaf serial " + leafSerialHex() + "]"; // never the key
    }
}
