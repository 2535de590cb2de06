package io.certform.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The simulated account: instances, their API groups, the domains bound to each group, and the certificate
 * bound to each domain. Every method is synchronized: the HTTP handlers run on many threads, and each critical
 * section is a few map operations (certificate parsing happens outside it). The certificate-management model
 * ({@link ManagedModel}) and what the TLS port presents ({@link TlsMaterials}) live beside it, under its lock.
 *
 * <p>With a read lag, the gateway's reads see a domain's certificate only some time after the write that put it
 * there: each domain keeps, beside its true certificate, the one readers saw just before the last write and
 * the time that write committed ({@link Domain#visible}). {@link #domains()} always shows the truth.
 */
public final class World {

    /**
     * When a call happens, on the simulator's clock, and how long reads lag behind writes (zero: not at all).
     */
    record At(Instant now, Duration readLag) {
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
        /** Its domains by lower-case name, for the certificate-management calls that name domains. */
        final Map<String, List<Domain>> byName = new HashMap<>();

        Instance(String id) {
            this.id = id;
        }
    }

    /** One row of {@link #domains()}: where a domain is and what is bound to it. */
    public record DomainView(String instanceId, String groupId, String domainId, String urlDomain,
                             String sslId, String sslName, String serialNumber, int certificatesBound,
                             List<String> attachedIds) {
        public DomainView {
            attachedIds = List.copyOf(attachedIds);
        }

        /** True when the domain carries no certificate at all (neither bound by the seed call nor attached). */
        public boolean bare() {
            return sslId == null && attachedIds.isEmpty();
        }
    }

    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final ManagedModel managed = new ManagedModel(this);
    private final TlsMaterials materials = new TlsMaterials(managed::find);
    private final WorldPersistence persistence = new WorldPersistence(this);
    private final LaggedReads reads = new LaggedReads(this);
    private final DnsZones dns = new DnsZones();
    private long certificatesCreated;
    /** Bumped by every change, so that an owner can tell whether the world needs saving. */
    private long revision;
    private volatile Consumer<DomainView> committed = view -> { };
    /** The project this world is (a path naming another answers 404 APIG.3030), or null: any project reaches it. */
    private volatile String projectId;
    /** The region this world stands for: a label, shown and saved, that changes no answer. */
    private volatile String region;

    public String projectId() {
        return projectId;
    }

    public void projectId(String id) {
        this.projectId = id == null || id.isEmpty() ? null : id;
    }

    public String region() {
        return region;
    }

    public void region(String name) {
        this.region = name == null || name.isEmpty() ? null : name;
    }

    public synchronized long revision() {
        return revision;
    }

    /** Adds the instance, group and domain if they are missing; an existing domain keeps its name and binding. */
    public synchronized void addDomain(String instanceId, String groupId, String domainId, String urlDomain) {
        Group group = addGroup(instanceId, groupId);
        if (!group.domains.containsKey(domainId)) {
            Domain domain = new Domain(instanceId, groupId, domainId, urlDomain);
            group.domains.put(domainId, domain);
            instances.get(instanceId).byName.computeIfAbsent(nameKey(urlDomain), k -> new ArrayList<>(1)).add(domain);
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
        for (Domain domain : everyDomain()) {
            rows.add(view(domain));
        }
        return rows;
    }

    private DomainView view(Domain domain) {
        BoundCertificate c = domain.carried().primary(managed::find);
        return new DomainView(domain.instanceId, domain.groupId, domain.id, domain.urlDomain,
                c == null ? null : c.sslId(), c == null ? null : c.sslName(),
                c == null ? null : c.serialNumber(), domain.certificatesBound, domain.attached);
    }

    /**
     * Hears every write to a domain's certificates as it commits, with what the domain carries right after it
     * (for tests that check no domain is ever left bare between two calls). Called under the world's lock.
     */
    public void onCommit(Consumer<DomainView> listener) {
        committed = listener == null ? view -> { } : listener;
    }

    public synchronized long certificatesCreated() {
        return certificatesCreated;
    }

    synchronized void restoreCounters(long created) {
        this.certificatesCreated = created;
        revision++;
    }

    /** The certificate-management model over this world's domains. */
    ManagedModel managedModel() {
        return managed;
    }

    /** The Huawei Cloud DNS zones and record sets of this world (dns-01 challenges). */
    public DnsZones dns() {
        return dns;
    }

    /** What the gateway's reads see, with the read lag. */
    LaggedReads reads() {
        return reads;
    }

    /** What a world file reads into this world and writes from it. */
    WorldPersistence persistence() {
        return persistence;
    }

    /** How many managed certificates exist now (every service). */
    public int managedCertificateCount() {
        return managed.count();
    }

    public long managedCertificatesCreated() {
        return managed.created();
    }

    public long managedCertificatesUpdated() {
        return managed.updated();
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

    /** The instances, in order; under the lock. */
    Iterable<Instance> instances() {
        return instances.values();
    }

    /** The ids of the instance's groups, in order; 404 APIG.3030 for an unknown instance. */
    synchronized List<String> groupIds(String instanceId) {
        return new ArrayList<>(instance(instanceId).groups.keySet());
    }

    /** Every domain of every instance and group, in the world's order; under the lock. */
    List<Domain> everyDomain() {
        List<Domain> all = new ArrayList<>();
        for (Instance instance : instances.values()) {
            for (Group group : instance.groups.values()) {
                all.addAll(group.domains.values());
            }
        }
        return all;
    }

    /** Marks a change, so that the owner saves the world; under the lock. */
    void changed() {
        revision++;
    }

    /**
     * Binds a certificate to a domain. With {@link OnExisting#CONFLICT} a domain that already carries one is
     * refused; with {@link OnExisting#REPLACE} the new one takes its place.
     */
    synchronized Domain bind(String instanceId, String groupId, String domainId, BoundCertificate certificate,
                             OnExisting onExisting, At at) {
        return bind(instanceId, groupId, domainId, certificate, null, onExisting, at);
    }

    /** As {@link #bind(String, String, String, BoundCertificate, OnExisting, At)}, keeping what TLS presents. */
    synchronized Domain bind(String instanceId, String groupId, String domainId, BoundCertificate certificate,
                             TlsMaterial material, OnExisting onExisting, At at) {
        Domain domain = domain(instanceId, groupId, domainId);
        if (domain.certificate != null && onExisting == OnExisting.CONFLICT) {
            throw ApiError.conflict();
        }
        materials.put(certificate.sslId(), material);
        commit(domain, certificate, domain.attached, at);
        domain.certificatesBound++;
        certificatesCreated++;
        return domain;
    }

    /**
     * Puts a certificate on a domain out of band, as someone at the console would: it replaces whatever is bound
     * and is not counted among the certificates the API created.
     */
    synchronized Domain rebind(String instanceId, String groupId, String domainId, BoundCertificate certificate,
                               TlsMaterial material, At at) {
        Domain domain = domain(instanceId, groupId, domainId);
        materials.put(certificate.sslId(), material);
        commit(domain, certificate, domain.attached, at);
        return domain;
    }

    /** Removes the certificate {@code sslId} from a domain; 404 APIG.3021 when it is not the one bound there. */
    synchronized void unbind(String instanceId, String groupId, String domainId, String sslId, At at) {
        Domain domain = domain(instanceId, groupId, domainId);
        if (domain.certificate == null || !domain.certificate.sslId().equals(sslId)) {
            throw ApiError.certificateNotFound();
        }
        commit(domain, null, domain.attached, at);
    }

    /** The one way a write changes what a domain carries; under the lock. */
    void commit(Domain domain, BoundCertificate next, List<String> attached, At at) {
        TlsMaterial presented = materials.presentedNow(domain);
        // Readers keep seeing what they saw just before this write, so that no read goes back in time.
        domain.previous = domain.visible(at);
        if (domain.certificate != null && domain.certificate != next) {
            materials.remove(domain.certificate.sslId()); // a seed-bound certificate belongs to one domain
        }
        domain.certificate = next;
        domain.attached = List.copyOf(attached);
        domain.committedAt = at.now();
        materials.notePresentedChange(domain, presented);
        revision++;
        committed.accept(view(domain));
    }

    // --- what the TLS port presents (memory only) ------------------------------------------------------------

    /** What the TLS port keeps for each certificate; under the lock, but for {@link TlsMaterials#kept}. */
    TlsMaterials materials() {
        return materials;
    }

    /**
     * What the TLS port presents for {@code name} (case-insensitive): the first domain of that name in any
     * instance and group; null when no domain has that name.
     */
    synchronized TlsMaterials.Presented presented(String name) {
        String key = nameKey(name);
        for (Instance instance : instances.values()) {
            List<Domain> named = instance.byName.get(key);
            if (named != null && !named.isEmpty()) {
                Domain domain = named.get(0);
                return new TlsMaterials.Presented(materials.presentedNow(domain), domain.servedBefore);
            }
        }
        return null;
    }

    // --- removals -------------------------------------------------------------------------------------------

    /** Unbinds a domain from its group, with whatever certificate it carries. */
    synchronized void removeDomain(String instanceId, String groupId, String domainId) {
        Domain domain = domain(instanceId, groupId, domainId);
        if (domain.certificate != null) {
            materials.remove(domain.certificate.sslId());
        }
        group(instanceId, groupId).domains.remove(domainId);
        List<Domain> named = instances.get(instanceId).byName.get(nameKey(domain.urlDomain));
        if (named != null) {
            named.remove(domain);
        }
        managed.forgetDomain(domain);
        revision++;
    }

    /**
     * Deletes an API group with its domains and whatever they carry, as a console user deleting the group would:
     * from then on every call naming it answers 404 {@code APIG.3001}.
     *
     * @throws ApiError 404 when the instance or the group does not exist
     */
    public synchronized void removeGroup(String instanceId, String groupId) {
        Group group = group(instanceId, groupId);
        for (String domainId : List.copyOf(group.domains.keySet())) {
            removeDomain(instanceId, groupId, domainId);
        }
        instances.get(instanceId).groups.remove(groupId);
        revision++;
    }

    /** Forgets every certificate, binding history and counter; instances, groups and domains stay. */
    public synchronized void reset() {
        for (Domain domain : everyDomain()) {
            domain.clear();
        }
        managed.clear();
        materials.clear();
        certificatesCreated = 0;
        revision++;
    }

    static String nameKey(String urlDomain) {
        return urlDomain.toLowerCase(Locale.ROOT);
    }
}
