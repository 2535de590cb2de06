package io.certform.api;

import io.certform.base.Secret;

/**
 * The body of the certificate-management create and update calls ({@code CertificateForm} in Huawei's SDK).
 *
 * @param instanceId      required when {@code type} is {@code instance}, else null
 * @param trustedRootCa   optional PEM, null when absent
 * @param algorithmType   {@code RSA}, {@code ECC} or {@code SM2}; null to leave it out
 * @param certContentSign the signing certificate of an SM2 dual certificate, else null
 * @param privateKeySign  its key, else null
 */
public record CertificateForm(String name, String certContent, Secret privateKey, String type, String instanceId,
                              String trustedRootCa, String algorithmType, String certContentSign,
                              Secret privateKeySign) {
    @Override
    public String toString() {
        return "CertificateForm[name=" + name + ", type=" + type + ", algorithm_type=" + algorithmType
                + ", private_key=(sensitive)" + (privateKeySign == null ? "" : ", private_key_sign=(sensitive)") + "]";
    }
}
