package io.certform.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    /**
     * What a domain carries at one moment: the certificate the seed call bound to it (or null), and the managed
     * certificates attached to it, in attach order. Immutable, so that readers can be shown an older one.
     */
    record Carried(BoundCertificate certificate, List<String> attached) {
        static final Carried NONE = new Carried(null, List.of());

        Carried {
            attached = List.copyOf(attached);
        }

        boolean isEmpty() {
            return certificate == null && attached.isEmpty();
        }
    }

    /** A domain bound to a group, and what it carries. */
    static final class Domain {
        final String instanceId;
        final String groupId;
        final String id;
        final String urlDomain;
        BoundCertificate certificate;
        /** Ids of the managed certificates attached to this domain, in attach order (immutable list). */
        List<String> attached = List.of();
        /** How many certificates the API has bound to this domain over the world's life. */
        int certificatesBound;
        /** What readers saw just before the last write, shown to them until the read lag has passed. */
        Carried previous = Carried.NONE;
        /** When the last write committed, or null when none did since the world was loaded or reset. */
        Instant committedAt;
        /**
         * What the TLS port presented for this domain before it last began presenting something else (memory
         * only; null when it presented nothing before), for the stale-serving fault.
         */
        TlsMaterial servedBefore;

        Domain(String instanceId, String groupId, String id, String urlDomain) {
            this.instanceId = instanceId;
            this.groupId = groupId;
            this.id = id;
            this.urlDomain = urlDomain;
        }

        Carried carried() {
            return certificate == null && attached.isEmpty() ? Carried.NONE : new Carried(certificate, attached);
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
    private final ManagedCertificates managed = new ManagedCertificates();
    /**
     * The chain and key the TLS port presents for each certificate, by {@code ssl_id} (seed-bound or managed).
     * Memory only: {@link WorldFile} never sees them, so a world read from a file presents nothing until its
     * domains are bound again in this process.
     */
    private final Map<String, TlsMaterial> materials = new HashMap<>();
    /** Whether writes keep TLS material: only once a TLS port serves this world, so that others hold no keys. */
    private volatile boolean keepsTlsMaterial;
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
        for (Instance instance : instances.values()) {
            for (Group group : instance.groups.values()) {
                for (Domain domain : group.domains.values()) {
                    rows.add(view(domain));
                }
            }
        }
        return rows;
    }

    private DomainView view(Domain domain) {
        BoundCertificate c = primary(domain.carried());
        return new DomainView(domain.instanceId, domain.groupId, domain.id, domain.urlDomain,
                c == null ? null : c.sslId(), c == null ? null : c.sslName(),
                c == null ? null : c.serialNumber(), domain.certificatesBound, domain.attached);
    }

    private volatile java.util.function.Consumer<DomainView> committed = view -> { };

    /**
     * Hears every write to a domain's certificates as it commits, with what the domain carries right after it
     * (for tests that check no domain is ever left bare between two calls). Called under the world's lock.
     */
    public void onCommit(java.util.function.Consumer<DomainView> listener) {
        committed = listener == null ? view -> { } : listener;
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
        return bind(instanceId, groupId, domainId, certificate, null, onExisting, at);
    }

    /** As {@link #bind(String, String, String, BoundCertificate, OnExisting, At)}, keeping what TLS presents. */
    synchronized Domain bind(String instanceId, String groupId, String domainId, BoundCertificate certificate,
                             TlsMaterial material, OnExisting onExisting, At at) {
        Domain domain = domain(instanceId, groupId, domainId);
        if (domain.certificate != null && onExisting == OnExisting.CONFLICT) {
            throw ApiError.conflict();
        }
        keepMaterial(certificate.sslId(), material);
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
                               TlsMaterial material, At at) {
        Domain domain = domain(instanceId, groupId, domainId);
        keepMaterial(certificate.sslId(), material);
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
        commit(domain, next, domain.attached, at);
    }

    private void commit(Domain domain, BoundCertificate next, List<String> attached, At at) {
        TlsMaterial presented = presentedNow(domain);
        // Readers keep seeing what they saw just before this write, so that no read goes back in time.
        domain.previous = visible(domain, at);
        if (domain.certificate != null && domain.certificate != next) {
            materials.remove(domain.certificate.sslId()); // a seed-bound certificate belongs to one domain
        }
        domain.certificate = next;
        domain.attached = List.copyOf(attached);
        domain.committedAt = at.now();
        notePresentedChange(domain, presented);
        revision++;
        committed.accept(view(domain));
    }

    // --- what the TLS port presents (memory only) ------------------------------------------------------------

    /** What the TLS port presents for one name: now, and before the domain last changed what it presents. */
    record Presented(TlsMaterial now, TlsMaterial before) {
    }

    /** True once a TLS port serves this world: from then on, binds keep what the port presents. */
    boolean keepsTlsMaterial() {
        return keepsTlsMaterial;
    }

    /** Called when a TLS port starts serving this world; certificates bound before are not presented. */
    void keepTlsMaterial() {
        keepsTlsMaterial = true;
    }

    private void keepMaterial(String sslId, TlsMaterial material) {
        if (material == null) {
            materials.remove(sslId);
        } else {
            materials.put(sslId, material);
        }
    }

    /** The material of the certificate a domain's {@code ssl_id} names now, or null. */
    private TlsMaterial presentedNow(Domain domain) {
        BoundCertificate c = primary(domain.carried());
        return c == null ? null : materials.get(c.sslId());
    }

    /** After a change: when the domain now presents something else than {@code before}, remembers it. */
    private void notePresentedChange(Domain domain, TlsMaterial before) {
        if (before != null && before != presentedNow(domain)) {
            domain.servedBefore = before;
        }
    }

    /**
     * What the TLS port presents for {@code name} (case-insensitive): the first domain of that name in any
     * instance and group; null when no domain has that name.
     */
    synchronized Presented presented(String name) {
        String key = nameKey(name);
        for (Instance instance : instances.values()) {
            List<Domain> named = instance.byName.get(key);
            if (named != null && !named.isEmpty()) {
                Domain domain = named.get(0);
                return new Presented(presentedNow(domain), domain.servedBefore);
            }
        }
        return null;
    }

    /** True when a read at {@code at} sees every domain as its last write left it (the read lag has passed). */
    synchronized boolean readsShowEveryWrite(At at) {
        for (Instance instance : instances.values()) {
            for (Group group : instance.groups.values()) {
                for (Domain domain : group.domains.values()) {
                    if (domain.committedAt != null && !at.readLag().isZero()
                            && at.now().isBefore(domain.committedAt.plus(at.readLag()))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** What a read at {@code at} sees on the domain. */
    private static Carried visible(Domain domain, At at) {
        if (domain.committedAt != null && !at.readLag().isZero()
                && at.now().isBefore(domain.committedAt.plus(at.readLag()))) {
            return domain.previous;
        }
        return domain.carried();
    }

    /**
     * The certificate named by a domain's {@code ssl_id}/{@code ssl_name}: the one the seed call bound, else the
     * first attached one; null when it carries none.
     */
    private BoundCertificate primary(Carried carried) {
        if (carried.certificate() != null) {
            return carried.certificate();
        }
        for (String id : carried.attached()) {
            ManagedCertificates.Managed m = managed.find(id);
            if (m != null) {
                return m.metadata;
            }
        }
        return null;
    }

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
        for (Instance instance : instances.values()) {
            for (Group group : instance.groups.values()) {
                for (Domain domain : group.domains.values()) {
                    domain.certificate = null;
                    domain.attached = List.of();
                    domain.certificatesBound = 0;
                    domain.previous = Carried.NONE;
                    domain.committedAt = null;
                    domain.servedBefore = null;
                }
            }
        }
        managed.clear();
        materials.clear();
        certificatesCreated = 0;
        revision++;
    }

    /** The certificate {@code sslId} as a read at {@code at} sees it on the domain; 404 APIG.3021 otherwise. */
    synchronized BoundCertificate certificate(String instanceId, String groupId, String domainId, String sslId,
                                              At at) {
        BoundCertificate seen = visible(domain(instanceId, groupId, domainId), at).certificate();
        if (seen == null || !seen.sslId().equals(sslId)) {
            throw ApiError.certificateNotFound();
        }
        return seen;
    }

    /** The ids of the instance's groups, in order; 404 APIG.3030 for an unknown instance. */
    synchronized List<String> groupIds(String instanceId) {
        return new ArrayList<>(instance(instanceId).groups.keySet());
    }

    /** A consistent copy of one group's domains as a read at {@code at} sees them, for the group detail. */
    synchronized List<DomainSnapshot> groupDomains(String instanceId, String groupId, At at) {
        List<DomainSnapshot> rows = new ArrayList<>();
        for (Domain d : group(instanceId, groupId).domains.values()) {
            Carried seen = visible(d, at);
            rows.add(new DomainSnapshot(d.id, d.urlDomain, primary(seen), infos(seen)));
        }
        return rows;
    }

    /** Every certificate a domain carries as seen: the seed-bound one first, then the attached ones. */
    private List<BoundCertificate> infos(Carried carried) {
        if (carried.isEmpty()) {
            return List.of();
        }
        List<BoundCertificate> all = new ArrayList<>(1 + carried.attached().size());
        if (carried.certificate() != null) {
            all.add(carried.certificate());
        }
        for (String id : carried.attached()) {
            ManagedCertificates.Managed m = managed.find(id);
            if (m != null) {
                all.add(m.metadata);
            }
        }
        return all;
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

    /**
     * One domain of a group detail: the certificate its {@code ssl_id} names and every certificate it carries
     * ({@code ssl_infos}).
     */
    record DomainSnapshot(String id, String urlDomain, BoundCertificate certificate, List<BoundCertificate> infos) {
        DomainSnapshot {
            infos = List.copyOf(infos);
        }
    }

    // --- the certificate-management model -------------------------------------------------------------------

    /** A domain named in an attach or detach body: its name and the instances to look for it in. */
    record DomainTarget(String name, List<String> instanceIds) {
        DomainTarget {
            instanceIds = List.copyOf(instanceIds);
        }
    }

    /** One row of a certificate's attached domains, as a read sees it. */
    record Attachment(String instanceId, String groupId, String domainId, String urlDomain) {
    }

    /** A managed certificate as the API reports it. */
    record ManagedView(String service, BoundCertificate metadata, String updateTime, int attachedDomains) {
    }

    /** Creates a managed certificate; 400 when {@code service} already has one with that name. */
    synchronized ManagedView createManaged(String service, BoundCertificate metadata) {
        return createManaged(service, metadata, null);
    }

    /** As {@link #createManaged(String, BoundCertificate)}, keeping what the TLS port presents for it. */
    synchronized ManagedView createManaged(String service, BoundCertificate metadata, TlsMaterial material) {
        if (managed.named(service, metadata.sslName()) != null) {
            throw ApiError.certificateNameTaken(metadata.sslName());
        }
        if (metadata.instanceId() != null) {
            instance(metadata.instanceId());
        }
        keepMaterial(metadata.sslId(), material);
        ManagedCertificates.Managed m = managed.add(service, metadata, metadata.createTime(), true);
        revision++;
        return view(m);
    }

    synchronized ManagedView managed(String service, String id) {
        return view(managed.get(service, id));
    }

    /**
     * Replaces a managed certificate's content in place: the id and every attachment stay. The type and
     * instance cannot change, and the new content must still name every domain it is attached to.
     */
    synchronized ManagedView updateManaged(String service, String id, BoundCertificate next, TlsMaterial material,
                                           String now) {
        ManagedCertificates.Managed m = managed.get(service, id);
        if (!m.metadata.type().equals(next.type())) {
            throw ApiError.invalidParameter("type");
        }
        if (!java.util.Objects.equals(m.metadata.instanceId(), next.instanceId())) {
            throw ApiError.invalidParameter("instance_id");
        }
        ManagedCertificates.Managed other = managed.named(service, next.sslName());
        if (other != null && other != m) {
            throw ApiError.certificateNameTaken(next.sslName());
        }
        for (Domain d : m.attachedTo) {
            if (!CertificateInspector.covers(next.san(), next.commonName(), d.urlDomain)) {
                throw new ApiError(400, "APIG.2103", "The certificate common name does not match the domain name "
                        + d.urlDomain + " it is attached to");
            }
        }
        List<Domain> attachedTo = new ArrayList<>(m.attachedTo);
        List<TlsMaterial> presented = new ArrayList<>(attachedTo.size());
        for (Domain d : attachedTo) {
            presented.add(presentedNow(d));
        }
        keepMaterial(m.id, material);
        for (int i = 0; i < attachedTo.size(); i++) {
            notePresentedChange(attachedTo.get(i), presented.get(i));
        }
        m.metadata = new BoundCertificate(m.id, next.sslName(), next.type(), next.instanceId(), next.algorithmType(),
                next.commonName(), next.san(), next.notBefore(), next.notAfter(), next.serialNumber(), next.issuer(),
                next.signatureAlgorithm(), next.hasTrustedRootCa(), m.metadata.createTime());
        m.updateTime = now;
        managed.countUpdate();
        revision++;
        return view(m);
    }

    /** Deletes a managed certificate; refused while any domain still carries it. */
    synchronized void deleteManaged(String service, String id) {
        ManagedCertificates.Managed m = managed.get(service, id);
        if (!m.attachedTo.isEmpty()) {
            throw ApiError.certificateInUse(m.attachedTo.size());
        }
        managed.remove(m);
        materials.remove(id);
        revision++;
    }

    /** The managed certificates of a service, in creation order. */
    synchronized List<ManagedView> managedCertificates(String service) {
        List<ManagedView> out = new ArrayList<>();
        for (ManagedCertificates.Managed m : managed.all()) {
            if (m.service.equals(service)) {
                out.add(view(m));
            }
        }
        return out;
    }

    /**
     * Attaches (or detaches) a managed certificate to every named domain, all or nothing: an unknown instance or
     * domain refuses the whole call before anything changes. Attaching a domain that already carries the
     * certificate, or detaching one that does not, changes nothing.
     */
    synchronized void attachByCertificate(String service, String id, List<DomainTarget> targets, boolean attach,
                                          At at) {
        ManagedCertificates.Managed m = managed.get(service, id);
        List<Domain> domains = new ArrayList<>();
        for (DomainTarget target : targets) {
            for (String instanceId : target.instanceIds()) {
                List<Domain> named = instance(instanceId).byName.get(nameKey(target.name()));
                if (named == null || named.isEmpty()) {
                    throw ApiError.domainNotFound(target.name(), instanceId);
                }
                domains.addAll(named);
            }
        }
        if (attach) {
            for (Domain d : domains) {
                checkAttachable(m, d);
            }
        }
        for (Domain d : domains) {
            setAttached(m, d, attach, at);
        }
    }

    /** Attaches (or detaches) several managed certificates to one domain, all or nothing. */
    synchronized void attachToDomain(String service, String instanceId, String groupId, String domainId,
                                     List<String> certificateIds, boolean attach, At at) {
        Domain d = domain(instanceId, groupId, domainId);
        List<ManagedCertificates.Managed> certificates = new ArrayList<>();
        for (String id : certificateIds) {
            ManagedCertificates.Managed m = managed.get(service, id);
            if (attach) {
                checkAttachable(m, d);
            }
            certificates.add(m);
        }
        for (ManagedCertificates.Managed m : certificates) {
            setAttached(m, d, attach, at);
        }
    }

    private static void checkAttachable(ManagedCertificates.Managed m, Domain d) {
        BoundCertificate c = m.metadata;
        if (c.instanceId() != null && !c.instanceId().equals(d.instanceId)) {
            throw ApiError.invalidParameter("instance_ids");
        }
        if (!CertificateInspector.covers(c.san(), c.commonName(), d.urlDomain)) {
            throw new ApiError(400, "APIG.2103", "The certificate common name does not match the domain name "
                    + d.urlDomain);
        }
    }

    private void setAttached(ManagedCertificates.Managed m, Domain d, boolean attach, At at) {
        boolean carries = d.attached.contains(m.id);
        if (attach == carries) {
            return;
        }
        List<String> next = new ArrayList<>(d.attached);
        if (attach) {
            next.add(m.id);
            m.attachedTo.add(d);
        } else {
            next.remove(m.id);
            m.attachedTo.remove(d);
        }
        commit(d, d.certificate, next, at);
    }

    /** The domains a read at {@code at} sees the certificate attached to, in the world's order. */
    synchronized List<Attachment> attachments(String service, String id, At at) {
        managed.get(service, id);
        List<Attachment> rows = new ArrayList<>();
        for (Instance instance : instances.values()) {
            for (Group group : instance.groups.values()) {
                for (Domain d : group.domains.values()) {
                    if (visible(d, at).attached().contains(id)) {
                        rows.add(new Attachment(instance.id, group.id, d.id, d.urlDomain));
                    }
                }
            }
        }
        return rows;
    }

    /** Restores a managed certificate and its attachments from a persisted world. */
    synchronized void restoreManaged(String service, BoundCertificate metadata, String updateTime,
                                     List<String[]> attachedTo) {
        ManagedCertificates.Managed m = managed.add(service, metadata, updateTime, false);
        for (String[] where : attachedTo) {
            Domain d = domain(where[0], where[1], where[2]);
            List<String> next = new ArrayList<>(d.attached);
            next.add(m.id);
            d.attached = List.copyOf(next);
            m.attachedTo.add(d);
        }
        revision++;
    }

    synchronized void restoreManagedCounters(long created, long updated) {
        managed.restoreCounters(created, updated);
        revision++;
    }

    /** How many managed certificates exist now (every service). */
    public synchronized int managedCertificateCount() {
        return managed.all().size();
    }

    public synchronized long managedCertificatesCreated() {
        return managed.created();
    }

    public synchronized long managedCertificatesUpdated() {
        return managed.updated();
    }

    /** Every managed certificate with the domains it is attached to now, for persistence and the state view. */
    synchronized void forEachManaged(ManagedVisitor visitor) {
        for (ManagedCertificates.Managed m : managed.all()) {
            List<Attachment> to = new ArrayList<>(m.attachedTo.size());
            for (Domain d : m.attachedTo) {
                to.add(new Attachment(d.instanceId, d.groupId, d.id, d.urlDomain));
            }
            visitor.certificate(m.service, m.metadata, m.updateTime, to);
        }
    }

    interface ManagedVisitor {
        void certificate(String service, BoundCertificate metadata, String updateTime, List<Attachment> attachedTo);
    }

    private static ManagedView view(ManagedCertificates.Managed m) {
        return new ManagedView(m.service, m.metadata, m.updateTime, m.attachedTo.size());
    }

    static String nameKey(String urlDomain) {
        return urlDomain.toLowerCase(Locale.ROOT);
    }
}
