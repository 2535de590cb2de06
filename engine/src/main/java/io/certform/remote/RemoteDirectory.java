package io.certform.remote;

import io.certform.api.ApiException;
import io.certform.api.CertificateDetail;
import io.certform.api.DomainLocation;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.GroupDetail;
import io.certform.api.ManagedCertificates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The remote side as read during one run. Each API group is read once (a run over bindings in G groups makes G
 * group GETs) unless a caller asks for a fresh read; certificate details are read only where an ssl_id is not the
 * one expected, and at most once each. Thread-safe: the applier's workers share it.
 */
public final class RemoteDirectory {

    /** How a read is made: directly, or through the applier's retries and pacing. */
    @FunctionalInterface
    public interface Reads {
        <T> T read(Supplier<T> call) throws InterruptedException;

        Reads DIRECT = new Reads() {
            @Override
            public <T> T read(Supplier<T> call) {
                return call.get();
            }
        };
    }

    private final GatewayClient client;
    private final String credentialHint;
    private final Reads reads;
    private final Map<String, GroupDetail> groups = new ConcurrentHashMap<>();
    private final Map<String, CertificateDetail> certificates = new ConcurrentHashMap<>();
    private final Map<String, List<GroupDetail>> instances = new ConcurrentHashMap<>();
    private final Map<String, CertificateDetail> managed = new ConcurrentHashMap<>();
    private final Map<String, List<ManagedCertificates.AttachedDomain>> attached = new ConcurrentHashMap<>();
    /** The domains of each attachment list read, by instance and id (keyed by the list itself, by identity). */
    private final Map<List<ManagedCertificates.AttachedDomain>, java.util.Set<String>> attachedIndex =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    /** Set once a group read found the endpoint unreachable (refused, unresolvable, untrusted): no read can succeed. */
    private volatile ApiException unreachable;

    /** @param credentialHint where the credentials came from, for a refusal's message */
    public RemoteDirectory(GatewayClient client, String credentialHint, Reads reads) {
        this.client = client;
        this.credentialHint = credentialHint;
        this.reads = reads;
    }

    /** The same directory (and cache) read through other {@code reads}. */
    public RemoteDirectory through(Reads other) {
        RemoteDirectory copy = new RemoteDirectory(client, credentialHint, other);
        copy.groups.putAll(groups);
        copy.certificates.putAll(certificates);
        copy.instances.putAll(instances);
        copy.managed.putAll(managed);
        copy.attached.putAll(attached);
        return copy;
    }

    /** The group's detail, read once per run. */
    public GroupDetail group(String instanceId, String groupId) throws RemoteReadException, InterruptedException {
        GroupDetail cached = groups.get(key(instanceId, groupId));
        return cached != null ? cached : freshGroup(instanceId, groupId);
    }

    /** Reads the group again (a write may have landed since), and keeps the new answer. */
    public GroupDetail freshGroup(String instanceId, String groupId) throws RemoteReadException, InterruptedException {
        ApiException wall = unreachable;
        if (wall != null) {
            throw failure(wall, instanceId, groupId); // the endpoint cannot be reached: no other group can be read
        }
        GroupDetail group;
        try {
            group = reads.read(() -> client.showGroup(instanceId, groupId));
        } catch (ApiException e) {
            if (e.isUnreachable()) {
                unreachable = e;
            }
            throw failure(e, instanceId, groupId);
        }
        groups.put(key(instanceId, groupId), group);
        return group;
    }

    /**
     * Reads these groups ({@code instanceId/groupId} keys of {@link #key}) at most {@code parallelism} at a time, so
     * that a run over thousands of groups does not wait for them one by one. A group that cannot be read is left
     * out: reading it again later reports why.
     */
    public void prefetch(java.util.Collection<String[]> instanceAndGroup, int parallelism) throws InterruptedException {
        List<String[]> missing = instanceAndGroup.stream()
                .filter(g -> !groups.containsKey(key(g[0], g[1]))).distinct().toList();
        if (missing.size() < 2) {
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(parallelism, missing.size()), r -> {
                    Thread t = new Thread(r, "group-reader");
                    t.setDaemon(true);
                    return t;
                });
        try {
            for (String[] g : missing) {
                pool.submit(() -> {
                    try {
                        freshGroup(g[0], g[1]);
                    } catch (RemoteReadException | RuntimeException e) {
                        // read again, and reported, by the caller that needs it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS)) {
                pool.shutdownNow();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Groups asked for per page when an instance's groups are listed (the API's largest page). */
    static final int GROUP_PAGE = 500;

    /** One page of a paged list: the total the answer gives, and this page's items. */
    private record Page<T>(int total, List<T> items) {
    }

    /**
     * Every item of a paged list: page after page (each read retried as reads are), until the answer's total is
     * reached or a page comes back empty. The one rule for paging, for groups, certificates and attachments.
     */
    private <T> List<T> everyPage(java.util.function.IntFunction<Page<T>> call) throws InterruptedException {
        List<T> all = new ArrayList<>();
        while (true) {
            int from = all.size();
            Page<T> page = reads.read(() -> call.apply(from));
            all.addAll(page.items());
            if (page.items().isEmpty() || all.size() >= page.total()) {
                return all;
            }
        }
    }

    /**
     * Every API group of the instance with its domains, listed once per run (a page per 500 groups); each group
     * read this way also answers later {@link #group} calls.
     */
    public List<GroupDetail> groupsOf(String instanceId) throws RemoteReadException, InterruptedException {
        List<GroupDetail> cached = instances.get(instanceId);
        if (cached != null) {
            return cached;
        }
        List<GroupDetail> all;
        try {
            all = everyPage(offset -> {
                GatewayClient.GroupPage page = client.listGroups(instanceId, offset, GROUP_PAGE);
                return new Page<>(page.total(), page.groups());
            });
        } catch (ApiException e) {
            throw failure(e, instanceId, "(listing every group)");
        }
        for (GroupDetail g : all) {
            // a group read on its own this run stays the answer: a listing's copy may lack what it showed
            groups.putIfAbsent(key(instanceId, g.id()), g);
        }
        List<GroupDetail> listed = List.copyOf(all);
        instances.put(instanceId, listed);
        return listed;
    }

    /** The domain with this id, or empty when the group was read and does not hold it. */
    public Optional<GroupDetail.Domain> domain(DomainLocation at, boolean fresh)
            throws RemoteReadException, InterruptedException {
        GroupDetail group = fresh ? freshGroup(at.instanceId(), at.groupId()) : group(at.instanceId(), at.groupId());
        return group.byId(at.domainId());
    }

    /** The domain with this name (case-insensitive), or empty when the group was read and does not hold it. */
    public Optional<GroupDetail.Domain> domainNamed(String instanceId, String groupId, String name)
            throws RemoteReadException, InterruptedException {
        return group(instanceId, groupId).byName(name);
    }

    /**
     * What the domain carries, judged by the one identity rule against {@code expected}.
     *
     * @param excludingSslId a certificate not to count as the expected one even when it looks the same (the one a
     *                       bind is replacing), or null
     * @param fresh          read the group again rather than use this run's copy
     */
    public DomainFacts inspect(DomainLocation at, Identity.Expected expected, String excludingSslId, boolean fresh)
            throws RemoteReadException, InterruptedException {
        Optional<GroupDetail.Domain> found = domain(at, fresh);
        if (found.isEmpty()) {
            return new DomainFacts.Gone();
        }
        GroupDetail.Domain domain = found.get();
        List<String> ids = new ArrayList<>(domain.sslIds());
        if (ids.isEmpty()) {
            return new DomainFacts.Bare(domain);
        }
        CertificateDetail primary = null;
        List<String> primaryDifferences = List.of("the certificate could not be read");
        for (String sslId : ids) {
            if (sslId.equals(excludingSslId)) {
                continue;
            }
            CertificateDetail detail = certificate(at, sslId);
            if (detail == null) {
                continue; // gone between the two reads
            }
            List<String> differences = Identity.differences(expected, detail, domain);
            if (differences.isEmpty()) {
                return new DomainFacts.Carries(domain, sslId, detail);
            }
            if (primary == null) {
                primary = detail;
                primaryDifferences = differences;
            }
        }
        if (primary == null && excludingSslId != null && ids.contains(excludingSslId)) {
            primary = certificate(at, excludingSslId);
            primaryDifferences = List.of("it is the certificate bound before (ssl_id " + excludingSslId + ")");
        }
        return new DomainFacts.CarriesOther(domain, ids.get(0), primary, primaryDifferences);
    }

    /** A certificate's metadata, read once; null when the service says it does not exist (any more). */
    public CertificateDetail certificate(DomainLocation at, String sslId) throws RemoteReadException,
            InterruptedException {
        CertificateDetail cached = certificates.get(sslId);
        if (cached != null) {
            return cached;
        }
        CertificateDetail detail;
        try {
            detail = reads.read(() -> client.showCertificate(at, sslId));
        } catch (ApiException e) {
            if (isCertificateGone(e)) {
                return null;
            }
            throw failure(e, at.instanceId(), at.groupId());
        }
        certificates.put(sslId, detail);
        return detail;
    }

    // --- the certificate-management model -------------------------------------------------------------------

    /** Attached domains asked for per page (the API's largest page). */
    static final int ATTACHED_PAGE = 500;

    /**
     * A managed certificate's metadata ({@code GET .../certificates/{id}}), read once per run unless
     * {@code fresh}; null when the service says it does not exist.
     */
    public CertificateDetail managedCertificate(String certificateId, boolean fresh)
            throws RemoteReadException, InterruptedException {
        CertificateDetail cached = fresh ? null : managed.get(certificateId);
        if (cached != null) {
            return cached;
        }
        CertificateDetail detail;
        try {
            detail = reads.read(() -> client.showManagedCertificate(certificateId));
        } catch (ApiException e) {
            if (isCertificateGone(e)) {
                managed.remove(certificateId);
                return null;
            }
            throw managedFailure(e, "certificate " + certificateId);
        }
        managed.put(certificateId, detail);
        return detail;
    }

    /**
     * The managed certificates whose name is exactly {@code name} (the list call's filter is fuzzy, so its answer
     * is filtered here), every page read: how a create whose answer was lost is found, and how import adopts one.
     */
    public List<CertificateDetail> managedCertificatesNamed(String name) throws RemoteReadException,
            InterruptedException {
        List<CertificateDetail> listed;
        try {
            listed = everyPage(offset -> {
                ManagedCertificates.CertificatePage page = client.listCertificates(name, offset, ATTACHED_PAGE);
                return new Page<>(page.total(), page.certificates());
            });
        } catch (ApiException e) {
            throw managedFailure(e, "the certificates named " + name);
        }
        return listed.stream().filter(c -> name.equals(c.name())).toList();
    }

    /**
     * Every domain the managed certificate is attached to, all pages of {@code attached-domains}, read once per
     * run unless {@code fresh}; null when the certificate does not exist. This, not a domain's {@code ssl_infos}
     * (which ROMA does not answer), is the one answer to "does the domain carry the shared certificate".
     */
    public List<ManagedCertificates.AttachedDomain> attachments(String certificateId, boolean fresh)
            throws RemoteReadException, InterruptedException {
        List<ManagedCertificates.AttachedDomain> cached = fresh ? null : attached.get(certificateId);
        if (cached != null) {
            return cached;
        }
        List<ManagedCertificates.AttachedDomain> all;
        try {
            all = everyPage(offset -> {
                ManagedCertificates.AttachedPage page = client.attachedDomains(certificateId, offset, ATTACHED_PAGE);
                return new Page<>(page.total(), page.domains());
            });
        } catch (ApiException e) {
            if (isCertificateGone(e)) {
                attached.remove(certificateId);
                return null;
            }
            throw managedFailure(e, "the domains of certificate " + certificateId);
        }
        List<ManagedCertificates.AttachedDomain> listed = List.copyOf(all);
        attached.put(certificateId, listed);
        return listed;
    }

    /** Whether the managed certificate is attached to the domain at {@code at}, by the one rule above. */
    public boolean carriesManaged(DomainLocation at, String certificateId, boolean fresh)
            throws RemoteReadException, InterruptedException {
        List<ManagedCertificates.AttachedDomain> domains = attachments(certificateId, fresh);
        if (domains == null) {
            return false;
        }
        // one set per list read: a refresh asks this once per attachment, and a certificate may have 10,000
        java.util.Set<String> index = attachedIndex.computeIfAbsent(domains, list -> {
            java.util.Set<String> keys = new java.util.HashSet<>(list.size() * 2);
            list.forEach(d -> keys.add(d.instanceId() + "/" + d.domainId()));
            return keys;
        });
        return index.contains(at.instanceId() + "/" + at.domainId());
    }

    private RemoteReadException managedFailure(ApiException e, String what) {
        RemoteReadException.Kind kind = RemoteReadException.classify(e);
        String message = "cannot read " + what + " at " + where() + ": " + e.getMessage() + ". "
                + (kind == RemoteReadException.Kind.REFUSED ? checkHint()
                : "Nothing in the state was changed; run certform again when the gateway answers.");
        return new RemoteReadException(kind, message, e);
    }

    /** A 404 that says the certificate (not the domain, group or instance) does not exist. */
    public static boolean isCertificateGone(ApiException e) {
        return e.isNotFound() && ("APIG.3021".equals(e.errorCode()) || "APIG.3025".equals(e.errorCode()));
    }

    /** What to tell a user whose call was refused: the endpoint and where the credentials came from. */
    public String checkHint() {
        return "Check the credentials (" + credentialHint + ") and the endpoint (" + where() + ").";
    }

    private RemoteReadException failure(ApiException e, String instanceId, String groupId) {
        RemoteReadException.Kind kind = RemoteReadException.classify(e);
        String at = "group " + groupId + " of instance " + instanceId + " at " + where();
        String message = switch (kind) {
            case INSTANCE_NOT_FOUND -> "the instance " + instanceId + " does not exist at " + where() + " ("
                    + e.getMessage() + "). Check provider.endpoint, provider.region, provider.project_id and"
                    + " instance_id; nothing in the state was changed.";
            case GROUP_NOT_FOUND -> "the API group " + groupId + " does not exist in instance " + instanceId + " at "
                    + where() + " (" + e.getMessage() + "). Check group_id, instance_id and the endpoint; nothing in"
                    + " the state was changed.";
            case NOT_FOUND -> "cannot read " + at + ": " + e.getMessage() + ". A 404 that names no group, domain"
                    + " or certificate usually means a wrong endpoint, region or project id; nothing in the state was"
                    + " changed.";
            case REFUSED -> "cannot read " + at + ": " + e.getMessage() + ". " + checkHint();
            case FAILED -> e.isUnreachable() ? "cannot read " + at + ": " + e.getMessage() + ". Nothing was sent"
                    + " and nothing in the state was changed."
                    : "cannot read " + at + ": " + e.getMessage() + ". Nothing in the state was changed; run"
                    + " certform again when the gateway answers.";
        };
        return new RemoteReadException(kind, message, e);
    }

    private String where() {
        Endpoint endpoint = client.endpoint();
        return endpoint.baseUrl() + ", project " + endpoint.projectId();
    }

    private static String key(String instanceId, String groupId) {
        return instanceId + "/" + groupId;
    }
}
