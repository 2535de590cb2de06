package io.certform.api;

import io.certform.base.Secret;

/**
 * The body of the add-certificate call.
 *
 * @param instanceId    required when {@code type} is {@code instance}, else null
 * @param trustedRootCa optional PEM, null when absent
 */
public record AddCertificateRequest(String name, String certContent, Secret privateKey, String type,
                                    String instanceId, String trustedRootCa) {
    @Override
    public String toString() {
        return "AddCertificateRequest[name=" + name + ", type=" + type + ", private_key=(sensitive)]";
    }
}
