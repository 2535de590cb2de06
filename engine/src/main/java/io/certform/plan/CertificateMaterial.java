package io.certform.plan;

import io.certform.base.Secret;

/**
 * What is sent to bind a certificate: the PEM bundle, the private key, the optional trusted root CA and, for an SM2
 * dual certificate (shared model only), its signing pair. It is
 * carried from the manifest to the API call and never written anywhere; {@link #toString()} hides it.
 */
public record CertificateMaterial(String certContent, Secret privateKey, String trustedRootCa, String certContentSign,
                                  Secret privateKeySign) {
    public CertificateMaterial(String certContent, Secret privateKey, String trustedRootCa) {
        this(certContent, privateKey, trustedRootCa, null, null);
    }

    @Override
    public String toString() {
        return "CertificateMaterial(sensitive)";
    }
}
