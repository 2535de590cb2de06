package io.certform.api;

import java.util.List;
import java.util.Optional;

/** An API group's detail: the parts certform needs, its domains and what each carries. */
public record GroupDetail(String id, List<Domain> domains) {
    public GroupDetail {
        domains = List.copyOf(domains);
    }

    /**
     * One of the group's domains.
     *
     * @param sslId           empty or null when no certificate is bound
     * @param clientCaEnabled {@code verified_client_certificate_enabled} (or {@code is_has_trusted_root_ca}), null
     *                        when the answer has neither
     * @param sslInfos        every certificate the domain carries, where the service lists them ({@code ssl_infos[]});
     *                        empty where it does not (ROMA documents it as not supported yet)
     */
    public record Domain(String id, String name, String sslId, String sslName, Boolean clientCaEnabled,
                         List<SslInfo> sslInfos) {
        public Domain {
            sslInfos = sslInfos == null ? List.of() : List.copyOf(sslInfos);
        }

        public Domain(String id, String name, String sslId, String sslName) {
            this(id, name, sslId, sslName, null, List.of());
        }

        /** Whether any certificate is bound. */
        public boolean carriesCertificate() {
            return (sslId != null && !sslId.isEmpty()) || !sslInfos.isEmpty();
        }

        /** The ids of every certificate the domain carries: {@code ssl_id} first, then the other {@code ssl_infos}. */
        public List<String> sslIds() {
            java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
            if (sslId != null && !sslId.isEmpty()) {
                ids.add(sslId);
            }
            for (SslInfo info : sslInfos) {
                if (info.sslId() != null && !info.sslId().isEmpty()) {
                    ids.add(info.sslId());
                }
            }
            return List.copyOf(ids);
        }
    }

    /** One entry of a domain's {@code ssl_infos[]}. */
    public record SslInfo(String sslId, String sslName, String algorithmType, String type) {
    }

    public Optional<Domain> byName(String name) {
        return domains.stream().filter(d -> d.name() != null && d.name().equalsIgnoreCase(name)).findFirst();
    }

    public Optional<Domain> byId(String domainId) {
        return domains.stream().filter(d -> d.id() != null && d.id().equals(domainId)).findFirst();
    }
}
