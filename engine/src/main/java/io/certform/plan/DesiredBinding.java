package io.certform.plan;

import io.certform.cert.CertificateInfo;
import io.certform.diag.SourceRange;
import io.certform.state.ResourceState;

/**
 * A binding as the manifest wants it, with its certificate read and checked.
 *
 * @param domainId              null when the manifest names the domain only and it is not resolved yet
 * @param urlDomain             the domain's name, or null when only its id is known
 * @param certificateInstanceId the instance of an {@code instance}-scoped certificate, else null
 * @param trustedRootCaSha256   null without a trusted root CA
 * @param range                 where the manifest declares the binding
 */
public record DesiredBinding(String address, String certificateKey, String instanceId, String groupId,
                             String domainId, String urlDomain, String sslName, String type,
                             String certificateInstanceId, CertificateInfo certificate, String trustedRootCaSha256,
                             CertificateMaterial material, SourceRange range) {

    /** The binding as the state will record it, less what only the API can tell (its ssl_id). */
    public ResourceState recorded() {
        return new ResourceState(address, certificateKey, instanceId, groupId, domainId, urlDomain, null, sslName, type,
                certificateInstanceId, certificate.algorithmType(), certificate.sha256(), certificate.chainSha256(),
                trustedRootCaSha256, certificate.serialNumber(), certificate.notAfter().toString(), certificate.issuer(),
                certificate.publicKeySha256());
    }

    public DesiredBinding withDomainId(String id) {
        return new DesiredBinding(address, certificateKey, instanceId, groupId, id, urlDomain, sslName, type,
                certificateInstanceId, certificate, trustedRootCaSha256, material, range);
    }
}
