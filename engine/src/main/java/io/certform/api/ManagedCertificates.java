package io.certform.api;

import java.util.List;

/** The answers of the certificate-management list calls. */
public final class ManagedCertificates {

    private ManagedCertificates() {
    }

    /** A domain named in an attach or detach body: its name, the instances it is in, the client-CA switch. */
    public record DomainTarget(String domain, List<String> instanceIds, boolean verifyClientCertificate) {
        public DomainTarget {
            instanceIds = List.copyOf(instanceIds);
        }
    }

    /** One page of {@code GET .../certificates}: {@code total} matching, this page's certificates. */
    public record CertificatePage(int total, List<CertificateDetail> certificates) {
        public CertificatePage {
            certificates = List.copyOf(certificates);
        }
    }

    /**
     * One row of {@code attached-domains}. The service answers {@code ssl_id}/{@code ssl_name} empty there, so they
     * are not kept.
     */
    public record AttachedDomain(String domainId, String urlDomain, String groupId, String instanceId) {
    }

    /** One page of {@code GET .../certificates/{id}/attached-domains}. */
    public record AttachedPage(int total, List<AttachedDomain> domains) {
        public AttachedPage {
            domains = List.copyOf(domains);
        }
    }
}
