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
     * @param sslId empty or null when no certificate is bound
     */
    public record Domain(String id, String name, String sslId, String sslName) {
    }

    public Optional<Domain> byName(String name) {
        return domains.stream().filter(d -> d.name().equalsIgnoreCase(name)).findFirst();
    }
}
