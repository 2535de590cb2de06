package io.certform.simulator;

import java.util.List;

/**
 * A certificate bound to a domain, as the service remembers it: metadata only. The service never returns the
 * PEM or the private key; the simulator keeps them apart, in memory only, for its TLS port ({@link TlsMaterial}).
 */
record BoundCertificate(String sslId, String sslName, String type, String instanceId, String algorithmType,
                        String commonName, List<String> san, String notBefore, String notAfter,
                        String serialNumber, List<String> issuer, String signatureAlgorithm,
                        boolean hasTrustedRootCa, String createTime) {
    BoundCertificate {
        san = List.copyOf(san);
        issuer = List.copyOf(issuer);
    }
}
