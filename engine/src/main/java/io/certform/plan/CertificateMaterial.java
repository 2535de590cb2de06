package io.certform.plan;

import io.certform.base.Secret;

/**
 * What is sent to bind a certificate: the PEM bundle, the private key and the optional trusted root CA. It is
 * carried from the manifest to the API call and never written anywhere; {@link #toString()} hides it.
 */
public record CertificateMaterial(String certContent, Secret privateKey, String trustedRootCa) {
    @Override
    public String toString() {
        return "CertificateMaterial(sensitive)";
    }
}
