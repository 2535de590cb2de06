package io.certform.api;

import java.util.List;

/** The show-certificate answer: metadata only (the API never returns the PEM or the key). */
public record CertificateDetail(String id, String name, String type, String commonName, List<String> san,
                               String notBefore, String notAfter, String serialNumber, String algorithmType) {
    public CertificateDetail {
        san = List.copyOf(san);
    }
}
