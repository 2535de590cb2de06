package io.certform.api;

import java.util.List;

/**
 * The show-certificate answer: metadata only (the API never returns the PEM or the key).
 *
 * @param serialNumber     as the service writes it (hex or decimal, with or without leading zeros or colons)
 * @param issuer           the issuer's names as answered (often the CN first)
 * @param hasTrustedRootCa {@code is_has_trusted_root_ca}: client-certificate checks are on; null when not answered
 * @param createTime       {@code create_time}, when the service made this certificate; null when not answered
 */
public record CertificateDetail(String id, String name, String type, String commonName, List<String> san,
                               String notBefore, String notAfter, String serialNumber, String algorithmType,
                               List<String> issuer, Boolean hasTrustedRootCa, String createTime) {
    public CertificateDetail {
        san = List.copyOf(san);
        issuer = issuer == null ? List.of() : List.copyOf(issuer);
    }

    public CertificateDetail(String id, String name, String type, String commonName, List<String> san,
                             String notBefore, String notAfter, String serialNumber, String algorithmType,
                             List<String> issuer, Boolean hasTrustedRootCa) {
        this(id, name, type, commonName, san, notBefore, notAfter, serialNumber, algorithmType, issuer,
                hasTrustedRootCa, null);
    }
}
