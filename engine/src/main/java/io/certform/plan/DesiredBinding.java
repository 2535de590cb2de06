package io.certform.plan;

import io.certform.cert.CertificateInfo;
import io.certform.base.SourceRange;
import io.certform.state.ResourceState;

/**
 * A binding as the manifest wants it, with its certificate read and checked: where it goes ({@link Domain}) and
 * what is uploaded there ({@link Upload}).
 *
 * @param range    where the manifest declares the binding
 * @param provider the name of the provider the binding goes to ({@code default} for the default one)
 */
public record DesiredBinding(String address, String certificateKey, Domain domain, Upload upload,
                             SourceRange range, String provider) {

    public DesiredBinding {
        if (provider == null) {
            provider = io.certform.manifest.Provider.DEFAULT;
        }
    }

    /** A binding of the default provider. */
    public DesiredBinding(String address, String certificateKey, Domain domain, Upload upload, SourceRange range) {
        this(address, certificateKey, domain, upload, range, io.certform.manifest.Provider.DEFAULT);
    }

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

        public Domain named(String name) {
            return new Domain(instanceId, groupId, domainId, name);
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
     * @param model                 {@link ResourceState#SHARED} for the certificate-management model, null for the
     *                              per-domain model (the seed call)
     */
    public record Upload(String sslName, String type, String certificateInstanceId, CertificateInfo certificate,
                         String trustedRootCaSha256, CertificateMaterial material, String model) {
        public Upload(String sslName, String type, String certificateInstanceId, CertificateInfo certificate,
                      String trustedRootCaSha256, CertificateMaterial material) {
            this(sslName, type, certificateInstanceId, certificate, trustedRootCaSha256, material, null);
        }

        public Upload named(String name) {
            return new Upload(name, type, certificateInstanceId, certificate, trustedRootCaSha256, material, model);
        }

        public Upload scoped(String newType, String instanceId) {
            return new Upload(sslName, newType, instanceId, certificate, trustedRootCaSha256, material, model);
        }

        public Upload trusting(String rootCaSha256) {
            return new Upload(sslName, type, certificateInstanceId, certificate, rootCaSha256, material, model);
        }

        public Upload of(CertificateInfo info) {
            return new Upload(sslName, type, certificateInstanceId, info, trustedRootCaSha256, material, model);
        }

        public boolean shared() {
            return ResourceState.SHARED.equals(model);
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

    /** Bound through the certificate-management model: an attachment of the shared certificate {@link #certificateKey}. */
    public boolean shared() {
        return upload.shared();
    }

    /**
     * The binding as the state will record it, less what only the API can tell (its ssl_id). A shared attachment
     * records where it is and which certificate resource it belongs to; the certificate's content is recorded once,
     * on that resource ({@link #certificateRecord()}), so that a rotation changes one record, not one per domain.
     */
    public ResourceState recorded() {
        if (certificateResource()) {
            return certificateRecord();
        }
        if (shared()) {
            return new ResourceState(address, certificateKey, domain.instanceId(), domain.groupId(),
                    domain.domainId(), domain.urlDomain(), null, null, upload.type(), upload.certificateInstanceId(),
                    null, null, null, null, null, null, null, null, null, null, ResourceState.SHARED);
        }
        CertificateInfo c = upload.certificate();
        return new ResourceState(address, certificateKey, domain.instanceId(), domain.groupId(), domain.domainId(),
                domain.urlDomain(), null, upload.sslName(), upload.type(), upload.certificateInstanceId(),
                c.algorithmType(), c.sha256(), c.chainSha256(), upload.trustedRootCaSha256(), c.serialNumber(),
                c.notAfter().toString(), c.issuer(), c.publicKeySha256()).covering(c.dnsNames());
    }

    /**
     * The shared certificate resource itself (address {@code KEY}, or {@code provider.P.KEY} under a provider P
     * other than the default), not one of its attachments.
     */
    public boolean certificateResource() {
        return address.equals(certificateAddress());
    }

    /** The address of this binding's certificate resource: {@code KEY}, or {@code provider.P.KEY}. */
    public String certificateAddress() {
        return io.certform.manifest.Provider.addressPrefix(provider) + certificateKey;
    }

    /** The shared certificate resource this attachment belongs to: address {@code [provider.P.]KEY}, no domain. */
    public DesiredBinding asCertificateResource() {
        return new DesiredBinding(certificateAddress(), certificateKey, new Domain(null, null, null, null), upload,
                range, provider);
    }

    /** The shared certificate resource this attachment belongs to, as the state will record it (less its id). */
    public ResourceState certificateRecord() {
        CertificateInfo c = upload.certificate();
        return new ResourceState(certificateAddress(), certificateKey, null, null, null, null, null, upload.sslName(),
                upload.type(), upload.certificateInstanceId(), c.algorithmType(), c.sha256(), c.chainSha256(),
                upload.trustedRootCaSha256(), c.serialNumber(), c.notAfter().toString(), c.issuer(),
                c.publicKeySha256(), null, c.dnsNames(), ResourceState.SHARED);
    }

    public DesiredBinding withDomainId(String id) {
        return new DesiredBinding(address, certificateKey, domain.withDomainId(id), upload, range, provider);
    }

    public DesiredBinding with(Domain otherDomain) {
        return new DesiredBinding(address, certificateKey, otherDomain, upload, range, provider);
    }

    public DesiredBinding with(Upload otherUpload) {
        return new DesiredBinding(address, certificateKey, domain, otherUpload, range, provider);
    }
}
