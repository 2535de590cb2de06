package io.certform.plan;

import io.certform.cert.CertificateInfo;
import io.certform.diag.SourceRange;
import io.certform.state.ResourceState;

/**
 * A binding as the manifest wants it, with its certificate read and checked: where it goes ({@link Domain}) and
 * what is uploaded there ({@link Upload}).
 *
 * @param range where the manifest declares the binding
 */
public record DesiredBinding(String address, String certificateKey, Domain domain, Upload upload,
                             SourceRange range) {

    /**
     * Where a certificate is bound.
     *
     * @param domainId  null when the manifest names the domain only and it is not resolved yet
     * @param urlDomain the domain's name, or null when only its id is known
     */
    public record Domain(String instanceId, String groupId, String domainId, String urlDomain) {
        public Domain withDomainId(String id) {
            return new Domain(instanceId, groupId, id, urlDomain);
        }

        public Domain inGroup(String otherGroupId) {
            return new Domain(instanceId, otherGroupId, domainId, urlDomain);
        }
    }

    /**
     * The certificate as the API receives it: its name and scope, what it is, and its material.
     *
     * @param certificateInstanceId the instance of an {@code instance}-scoped certificate, else null
     * @param trustedRootCaSha256   null without a trusted root CA
     * @param material              the PEM and key to send; null for a plan read back from a file (nothing to send)
     */
    public record Upload(String sslName, String type, String certificateInstanceId, CertificateInfo certificate,
                         String trustedRootCaSha256, CertificateMaterial material) {
        public Upload named(String name) {
            return new Upload(name, type, certificateInstanceId, certificate, trustedRootCaSha256, material);
        }

        public Upload scoped(String newType, String instanceId) {
            return new Upload(sslName, newType, instanceId, certificate, trustedRootCaSha256, material);
        }

        public Upload trusting(String rootCaSha256) {
            return new Upload(sslName, type, certificateInstanceId, certificate, rootCaSha256, material);
        }

        public Upload of(CertificateInfo info) {
            return new Upload(sslName, type, certificateInstanceId, info, trustedRootCaSha256, material);
        }
    }

    public String instanceId() {
        return domain.instanceId();
    }

    public String groupId() {
        return domain.groupId();
    }

    /** Null while the domain is named only and not resolved yet. */
    public String domainId() {
        return domain.domainId();
    }

    public String urlDomain() {
        return domain.urlDomain();
    }

    public String sslName() {
        return upload.sslName();
    }

    public String type() {
        return upload.type();
    }

    public String certificateInstanceId() {
        return upload.certificateInstanceId();
    }

    public CertificateInfo certificate() {
        return upload.certificate();
    }

    public String trustedRootCaSha256() {
        return upload.trustedRootCaSha256();
    }

    public CertificateMaterial material() {
        return upload.material();
    }

    /** The binding as the state will record it, less what only the API can tell (its ssl_id). */
    public ResourceState recorded() {
        CertificateInfo c = upload.certificate();
        return new ResourceState(address, certificateKey, domain.instanceId(), domain.groupId(), domain.domainId(),
                domain.urlDomain(), null, upload.sslName(), upload.type(), upload.certificateInstanceId(),
                c.algorithmType(), c.sha256(), c.chainSha256(), upload.trustedRootCaSha256(), c.serialNumber(),
                c.notAfter().toString(), c.issuer(), c.publicKeySha256()).covering(c.dnsNames());
    }

    public DesiredBinding withDomainId(String id) {
        return new DesiredBinding(address, certificateKey, domain.withDomainId(id), upload, range);
    }

    public DesiredBinding with(Domain otherDomain) {
        return new DesiredBinding(address, certificateKey, otherDomain, upload, range);
    }

    public DesiredBinding with(Upload otherUpload) {
        return new DesiredBinding(address, certificateKey, domain, otherUpload, range);
    }
}
