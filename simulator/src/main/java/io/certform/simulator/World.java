package io.certform.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated account: instances, their API groups, the domains bound to each group, and the certificate
 * bound to each domain. Every method is synchronized: the HTTP handlers run on many threads, and each critical
 * section is a few map operations (certificate parsing happens outside it).
 *
 * <p>With a read lag, the gateway's reads see a domain's certificate only some time after the write that put it
 * there: each domain keeps, beside its true certificate, the one readers saw just before the last write and
 * the time that write committed. {@link #domains()} always shows the truth.
 */
public final class World {

    /**
     * When a call happens, on the simulator's clock, and how long reads lag behind writes (zero: not at all).
     */
    record At(Instant now, Duration readLag) {
    }

    /** A domain bound to a group, and what it carries. */
    static final class Domain {
        final String id;
        final String urlDomain;
        BoundCertificate certificate;
        /** How many certificates the API has bound to this domain over the world's life. */
        int certificatesBound;
        /** What readers saw just before the last write, shown to them until the read lag has passed. */
        BoundCertificate previous;
        /** When the last write committed, or null when none did since the world was loaded or reset. */
        Instant committedAt;

        Domain(String id, String urlDomain) {
            this.id = id;
            this.urlDomain = urlDomain;
        }
    }

    static final class Group {
        final String id;
        final Map<String, Domain> domains = new LinkedHashMap<>();

        Group(String id) {
            this.id = id;
        }
    }

    static final class Instance {
        final String id;
        final Map<String, Group> groups = new LinkedHashMap<>();

        Instance(String id) {
            this.id = id;
        }
    }

    /** One row of {@link #domains()}: where a domain is and what is bound to it. */
    public record DomainView(String instanceId, String groupId, String domainId, String urlDomain,
                             String sslId, String sslName, String serialNumber, int certificatesBound) {
    }

    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private long certificatesCreated;
    /** Bumped by every change, so that an owner can tell whether the world needs saving. */
    private long revision;

    public synchronized long revision() {
        return revision;
    }

    /** Adds the instance, group and domain if they are missing; an existing domain keeps its name and binding. */
    public synchronized void addDomain(String instanceId, String groupId, String domainId, String urlDomain) {
        Group group = addGroup(instanceId, groupId);
        if (!group.domains.containsKey(domainId)) {
            group.domains.put(domainId, new Domain(domainId, urlDomain));
            revision++;
        }
    }

    /** Adds the instance if it is missing. */
    public synchronized void addInstance(String instanceId) {
        if (!instances.containsKey(instanceId)) {
            instances.put(instanceId, new Instance(instanceId));
            revision++;
        }
    }

    /** Adds the instance and group if they are missing. */
    public synchronized Group addGroup(String instanceId, String groupId) {
        addInstance(instanceId);
        Instance instance = instances.get(instanceId);
        Group group = instance.groups.get(groupId);
        if (group == null) {
            group = new Group(groupId);
            instance.groups.put(groupId, group);
            revision++;
        }
        return group;
    }

    /** The id of the group's domain with this name (case-insensitive), or null. */
    public synchronized String domainIdByName(String instanceId, String groupId, String urlDomain) {
        Instance instance = instances.get(instanceId);
        Group group = instance == null ? null : instance.groups.get(groupId);
        if (group == null) {
            return null;
        }
        for (Domain domain : group.domains.values()) {
            if (domain.urlDomain.equalsIgnoreCase(urlDomain)) {
                return domain.id;
            }
        }
        return null;
    }

    public synchronized boolean hasDomain(String instanceId, String groupId, String domainId) {
        Instance instance = instances.get(instanceId);
        Group group = instance == null ? null : instance.groups.get(groupId);
        return group != null && group.domains.containsKey(domainId);
    }

    public synchronized List<DomainView> domains() {
        List<DomainView> rows = new ArrayList<>();
        for (Instance instance : instances.values()) {
            for (Group group : instance.groups.values()) {
                for (Domain domain : group.domains.values()) {
                    BoundCertificate c = domain.certificate;
                    rows.add(new DomainView(instance.id, group.id, domain.id, domain.urlDomain,
                            c == null ? null : c.sslId(), c == null ? null : c.sslName(),
                            c == null ? null : c.serialNumber(), domain.certificatesBound));
                }
            }
        }
        return rows;
    }

    public synchronized long certificatesCreated() {
        return certificatesCreated;
    }

    synchronized void restoreCounters(long created) {
        this.certificatesCreated = created;
        revision++;
    }

    // --- used by the request handlers; lookups throw the documented 404s -----------------------------------

    synchronized Instance instance(String instanceId) {
        Instance instance = instances.get(instanceId);
        if (instance == null) {
            throw ApiError.instanceNotFound();
        }
        return instance;
    }

    synchronized Group group(String instanceId, String groupId) {
        Group group = instance(instanceId).groups.get(groupId);
        if (group == null) {
            throw ApiError.groupNotFound();
        }
        return group;
    }

    synchronized Domain domain(String instanceId, String groupId, String domainId) {
        Domain domain = group(instanceId, groupId).domains.get(domainId);
        if (domain == null) {
            throw ApiError.domainNotFound();
        }
        return domain;
    }

    /**
     * Binds a certificate to a domain. With {@link OnExisting#CONFLICT} a domain that already carries one is
     * refused; with {@link OnExisting#REPLACE} the new one takes its place.
     */
    synchronized Domain bind(String instanceId, String groupId, String domainId, BoundCertificate certificate,
                             OnExisting onExisting, At at) {
        Domain domain = domain(instanceId, groupId, domainId);
        if (domain.certificate != null && onExisting == OnExisting.CONFLICT) {
            throw ApiError.conflict();
        }
        commit(domain, certificate, at);
        domain.certificatesBound++;
        certificatesCreated++;
        return domain;
    }

    /**
     * Puts a certificate on a domain out of band, as someone at the console would: it replaces whatever is bound
     * and is not counted among the certificates the API created.
     */
    synchronized Domain rebind(String instanceId, String groupId, String domainId, BoundCertificate certificate,
                               At at) {
        Domain domain = domain(instanceId, groupId, domainId);
        commit(domain, certificate, at);
        return domain;
    }

    /** Removes the certificate {@code sslId} from a domain; 404 APIG.3021 when it is not the one bound there. */
    synchronized void unbind(String instanceId, String groupId, String domainId, String sslId, At at) {
        Domain domain = domain(instanceId, groupId, domainId);
        if (domain.certificate == null || !domain.certificate.sslId().equals(sslId)) {
            throw ApiError.certificateNotFound();
        }
        commit(domain, null, at);
    }

    private void commit(Domain domain, BoundCertificate next, At at) {
        // Readers keep seeing what they saw just before this write, so that no read goes back in time.
        domain.previous = visible(domain, at);
        domain.certificate = next;
        domain.committedAt = at.now();
        revision++;
    }

    /** The certificate a read at {@code at} sees on the domain. */
    private static BoundCertificate visible(Domain domain, At at) {
        if (domain.committedAt != null && !at.readLag().isZero()
                && at.now().isBefore(domain.committedAt.plus(at.readLag()))) {
            return domain.previous;
        }
        return domain.certificate;
    }

    /** Unbinds a domain from its group, with whatever certificate it carries. */
    synchronized void removeDomain(String instanceId, String groupId, String domainId) {
        domain(instanceId, groupId, domainId);
        group(instanceId, groupId).domains.remove(domainId);
        revision++;
    }

    /** Forgets every certificate, binding history and counter; instances, groups and domains stay. */
    public synchronized void reset() {
        for (Instance instance : instances.values()) {
            for (Group group : instance.groups.values()) {
                for (Domain domain : group.domains.values()) {
                    domain.certificate = null;
                    domain.certificatesBound = 0;
                    domain.previous = null;
                    domain.committedAt = null;
                }
            }
        }
        certificatesCreated = 0;
        revision++;
    }

    /** The certificate {@code sslId} as a read at {@code at} sees it on the domain; 404 APIG.3021 otherwise. */
    synchronized BoundCertificate certificate(String instanceId, String groupId, String domainId, String sslId,
                                              At at) {
        BoundCertificate seen = visible(domain(instanceId, groupId, domainId), at);
        if (seen == null || !seen.sslId().equals(sslId)) {
            throw ApiError.certificateNotFound();
        }
        return seen;
    }

    /** A consistent copy of one group's domains as a read at {@code at} sees them, for the group detail. */
    synchronized List<DomainSnapshot> groupDomains(String instanceId, String groupId, At at) {
        List<DomainSnapshot> rows = new ArrayList<>();
        for (Domain d : group(instanceId, groupId).domains.values()) {
            rows.add(new DomainSnapshot(d.id, d.urlDomain, visible(d, at)));
        }
        return rows;
    }

    /** Restores a binding from a persisted world, without counting it as newly created. */
    synchronized void restoreBinding(String instanceId, String groupId, String domainId, BoundCertificate certificate,
                                     int certificatesBound) {
        Domain domain = domain(instanceId, groupId, domainId);
        domain.certificate = certificate;
        domain.certificatesBound = certificatesBound;
        revision++;
    }

    /** Visits every instance, group and domain in order (for persistence). */
    synchronized void forEachDomain(DomainVisitor visitor) {
        for (Instance instance : instances.values()) {
            visitor.instance(instance.id);
            for (Group group : instance.groups.values()) {
                visitor.group(instance.id, group.id);
                for (Domain domain : group.domains.values()) {
                    visitor.domain(instance.id, group.id, domain.id, domain.urlDomain, domain.certificate,
                            domain.certificatesBound);
                }
            }
        }
        visitor.end();
    }

    interface DomainVisitor {
        void instance(String instanceId);

        void group(String instanceId, String groupId);

        void domain(String instanceId, String groupId, String domainId, String urlDomain,
                    BoundCertificate certificate, int certificatesBound);

        /** After the last domain. */
        void end();
    }

    record DomainSnapshot(String id, String urlDomain, BoundCertificate certificate) {
    }
}
