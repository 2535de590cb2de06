package io.certform.remote;

import io.certform.api.CertificateDetail;
import io.certform.api.GroupDetail;
import java.util.List;

/** What the remote side says about one domain and one expected certificate, as {@link RemoteDirectory#inspect} found it. */
public sealed interface DomainFacts {

    /** The group was read and the domain is not in it: the only answer that means a domain is gone. */
    record Gone() implements DomainFacts {
    }

    /** The domain exists and carries no certificate. */
    record Bare(GroupDetail.Domain domain) implements DomainFacts {
    }

    /** The domain carries the expected certificate, as {@code sslId}. */
    record Carries(GroupDetail.Domain domain, String sslId, CertificateDetail detail) implements DomainFacts {
    }

    /**
     * The domain carries certificates, none of them the expected one.
     *
     * @param primary     the certificate the domain presents ({@code ssl_id}), or null when it could not be read
     * @param differences how the primary differs from what was expected
     */
    record CarriesOther(GroupDetail.Domain domain, String primarySslId, CertificateDetail primary,
                        List<String> differences) implements DomainFacts {
        public CarriesOther {
            differences = List.copyOf(differences);
        }
    }
}
