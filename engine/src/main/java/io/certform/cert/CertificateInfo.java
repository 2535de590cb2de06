package io.certform.cert;

import java.time.Instant;
import java.util.List;

/**
 * What certform knows of a certificate bundle, without its key: the identity it diffs on and the facts it shows.
 *
 * @param sha256             SHA-256 of the leaf's DER, hex: the certificate's identity
 * @param chainSha256        SHA-256 over the DER of every certificate of the bundle, in order: changes when an
 *                           intermediate is added, removed or reordered, and not when only PEM whitespace changes
 * @param serialNumber       the leaf's serial number, lowercase hex
 * @param algorithmType      {@code RSA}, {@code ECC} or {@code SM2}, as the API reports it
 * @param keyDescription     e.g. {@code RSA 2048}, {@code EC P-256}, {@code SM2}
 * @param subject            the leaf's CN (or DN without a CN)
 * @param dnsNames           the names the leaf covers: its SAN DNS names, or its CN without SANs
 * @param issuer             the leaf's issuer CN (or DN)
 * @param signatureAlgorithm e.g. {@code SHA256WITHRSA}
 * @param publicKeySha256    SHA-256 of the leaf's SubjectPublicKeyInfo DER, hex: tells a renewal on the same key
 *                           from a new key, and is safe to record; null when unknown
 */
public record CertificateInfo(String sha256, String chainSha256, String serialNumber, Instant notBefore,
                              Instant notAfter, String algorithmType, String keyDescription, String subject,
                              List<String> dnsNames, String issuer, String signatureAlgorithm,
                              String publicKeySha256) {
    public CertificateInfo {
        dnsNames = List.copyOf(dnsNames);
    }

    /** Without the public key's fingerprint. */
    public CertificateInfo(String sha256, String chainSha256, String serialNumber, Instant notBefore,
                           Instant notAfter, String algorithmType, String keyDescription, String subject,
                           List<String> dnsNames, String issuer, String signatureAlgorithm) {
        this(sha256, chainSha256, serialNumber, notBefore, notAfter, algorithmType, keyDescription, subject, dnsNames,
                issuer, signatureAlgorithm, null);
    }
}
