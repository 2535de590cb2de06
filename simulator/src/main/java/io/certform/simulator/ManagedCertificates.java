package io.certform.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The certificates of the certificate-management model ({@code /v2/{project}/{svc}/certificates}): each created
 * once, attached to any number of domains, updated in place. Not thread-safe on its own: {@link World} holds its
 * lock around every use.
 */
final class ManagedCertificates {

    /** One managed certificate: its metadata (never a PEM or key) and the domains it is attached to. */
    static final class Managed {
        final String id;
        /** {@code apic} or {@code apigw}: a certificate belongs to the service it was created in. */
        final String service;
        BoundCertificate metadata;
        String updateTime;
        /** The domains it is attached to now (the truth, not what a lagging read sees), in attach order. */
        final Set<Domain> attachedTo = new LinkedHashSet<>();

        Managed(String id, String service, BoundCertificate metadata, String updateTime) {
            this.id = id;
            this.service = service;
            this.metadata = metadata;
            this.updateTime = updateTime;
        }
    }

    private final Map<String, Managed> byId = new LinkedHashMap<>();
    private long created;
    private long updated;

    /** The certificate with this id in any service, or null. */
    Managed find(String id) {
        return byId.get(id);
    }

    /** The certificate {@code id} of {@code service}; 404 APIG.3025 when there is none. */
    Managed get(String service, String id) {
        Managed m = byId.get(id);
        if (m == null || !m.service.equals(service)) {
            throw ApiError.managedCertificateNotFound();
        }
        return m;
    }

    /** The certificate of {@code service} named exactly {@code name}, or null. */
    Managed named(String service, String name) {
        for (Managed m : byId.values()) {
            if (m.service.equals(service) && m.metadata.sslName().equals(name)) {
                return m;
            }
        }
        return null;
    }

    Managed add(String service, BoundCertificate metadata, String updateTime, boolean counted) {
        Managed m = new Managed(metadata.sslId(), service, metadata, updateTime);
        byId.put(m.id, m);
        if (counted) {
            created++;
        }
        return m;
    }

    void countUpdate() {
        updated++;
    }

    void remove(Managed m) {
        byId.remove(m.id);
    }

    List<Managed> all() {
        return new ArrayList<>(byId.values());
    }

    long created() {
        return created;
    }

    long updated() {
        return updated;
    }

    void restoreCounters(long created, long updated) {
        this.created = created;
        this.updated = updated;
    }

    /** A domain left its group: it no longer holds any attachment. */
    void forgetDomain(Domain domain) {
        for (String id : domain.attached) {
            Managed m = byId.get(id);
            if (m != null) {
                m.attachedTo.remove(domain);
            }
        }
    }

    void clear() {
        byId.clear();
        created = 0;
        updated = 0;
    }
}
