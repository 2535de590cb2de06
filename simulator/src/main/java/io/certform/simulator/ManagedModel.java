package io.certform.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The certificate-management model over the world's domains ({@code /v2/{project}/{svc}/certificates}): managed
 * certificates created once, updated in place, attached to and detached from domains.
 * Every entry point holds the {@link World}'s lock, since an attach changes what a domain carries.
 */
final class ManagedModel {

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

    private final World world;
    private final ManagedCertificates store = new ManagedCertificates();

    ManagedModel(World world) {
        this.world = world;
    }

    /** Creates a managed certificate; 400 when {@code service} already has one with that name. */
    ManagedView create(String service, BoundCertificate metadata) {
        return create(service, metadata, null);
    }

    /** As {@link #create(String, BoundCertificate)}, keeping what the TLS port presents for it. */
    ManagedView create(String service, BoundCertificate metadata, TlsMaterial material) {
        synchronized (world) {
            if (store.named(service, metadata.sslName()) != null) {
                throw ApiError.certificateNameTaken(metadata.sslName());
            }
            if (metadata.instanceId() != null) {
                world.instance(metadata.instanceId());
            }
            world.materials().put(metadata.sslId(), material);
            ManagedCertificates.Managed m = store.add(service, metadata, metadata.createTime(), true);
            world.changed();
            return view(m);
        }
    }

    ManagedView show(String service, String id) {
        synchronized (world) {
            return view(store.get(service, id));
        }
    }

    /**
     * Replaces a managed certificate's content in place: the id and every attachment stay. The type and
     * instance cannot change, and the new content must still name every domain it is attached to.
     */
    ManagedView update(String service, String id, BoundCertificate next, TlsMaterial material, String now) {
        synchronized (world) {
            ManagedCertificates.Managed m = store.get(service, id);
            if (!m.metadata.type().equals(next.type())) {
                throw ApiError.invalidParameter("type");
            }
            if (!Objects.equals(m.metadata.instanceId(), next.instanceId())) {
                throw ApiError.invalidParameter("instance_id");
            }
            ManagedCertificates.Managed other = store.named(service, next.sslName());
            if (other != null && other != m) {
                throw ApiError.certificateNameTaken(next.sslName());
            }
            for (Domain d : m.attachedTo) {
                if (!CertificateInspector.covers(next.san(), next.commonName(), d.urlDomain)) {
                    throw new ApiError(400, "APIG.2103", "The certificate common name does not match the domain"
                            + " name " + d.urlDomain + " it is attached to");
                }
            }
            List<Domain> attachedTo = new ArrayList<>(m.attachedTo);
            List<TlsMaterial> presented = new ArrayList<>(attachedTo.size());
            for (Domain d : attachedTo) {
                presented.add(world.materials().presentedNow(d));
            }
            world.materials().put(m.id, material);
            for (int i = 0; i < attachedTo.size(); i++) {
                world.materials().notePresentedChange(attachedTo.get(i), presented.get(i));
            }
            m.metadata = new BoundCertificate(m.id, next.sslName(), next.type(), next.instanceId(),
                    next.algorithmType(), next.commonName(), next.san(), next.notBefore(), next.notAfter(),
                    next.serialNumber(), next.issuer(), next.signatureAlgorithm(), next.hasTrustedRootCa(),
                    m.metadata.createTime());
            m.updateTime = now;
            store.countUpdate();
            world.changed();
            return view(m);
        }
    }

    /** Deletes a managed certificate; refused while any domain still carries it. */
    void delete(String service, String id) {
        synchronized (world) {
            ManagedCertificates.Managed m = store.get(service, id);
            if (!m.attachedTo.isEmpty()) {
                throw ApiError.certificateInUse(m.attachedTo.size());
            }
            store.remove(m);
            world.materials().remove(id);
            world.changed();
        }
    }

    /** The managed certificates of a service, in creation order. */
    List<ManagedView> list(String service) {
        synchronized (world) {
            List<ManagedView> out = new ArrayList<>();
            for (ManagedCertificates.Managed m : store.all()) {
                if (m.service.equals(service)) {
                    out.add(view(m));
                }
            }
            return out;
        }
    }

    /**
     * Attaches (or detaches) a managed certificate to every named domain, all or nothing: an unknown instance or
     * domain refuses the whole call before anything changes. Attaching a domain that already carries the
     * certificate, or detaching one that does not, changes nothing.
     */
    void attachByCertificate(String service, String id, List<DomainTarget> targets, boolean attach, World.At at) {
        synchronized (world) {
            ManagedCertificates.Managed m = store.get(service, id);
            List<Domain> domains = new ArrayList<>();
            for (DomainTarget target : targets) {
                for (String instanceId : target.instanceIds()) {
                    List<Domain> named = world.instance(instanceId).byName.get(World.nameKey(target.name()));
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
    }

    /** Attaches (or detaches) several managed certificates to one domain, all or nothing. */
    void attachToDomain(String service, String instanceId, String groupId, String domainId,
                        List<String> certificateIds, boolean attach, World.At at) {
        synchronized (world) {
            Domain d = world.domain(instanceId, groupId, domainId);
            List<ManagedCertificates.Managed> certificates = new ArrayList<>();
            for (String id : certificateIds) {
                ManagedCertificates.Managed m = store.get(service, id);
                if (attach) {
                    checkAttachable(m, d);
                }
                certificates.add(m);
            }
            for (ManagedCertificates.Managed m : certificates) {
                setAttached(m, d, attach, at);
            }
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

    private void setAttached(ManagedCertificates.Managed m, Domain d, boolean attach, World.At at) {
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
        world.commit(d, d.certificate, next, at);
    }

    /** The domains a read at {@code at} sees the certificate attached to, in the world's order. */
    List<Attachment> attachments(String service, String id, World.At at) {
        synchronized (world) {
            store.get(service, id);
            List<Attachment> rows = new ArrayList<>();
            for (Domain d : world.everyDomain()) {
                if (d.visible(at).attached().contains(id)) {
                    rows.add(new Attachment(d.instanceId, d.groupId, d.id, d.urlDomain));
                }
            }
            return rows;
        }
    }

    /** How many managed certificates exist now (every service). */
    int count() {
        synchronized (world) {
            return store.all().size();
        }
    }

    long created() {
        synchronized (world) {
            return store.created();
        }
    }

    long updated() {
        synchronized (world) {
            return store.updated();
        }
    }

    // --- for the world, under its lock ----------------------------------------------------------------------

    /** The metadata of the managed certificate {@code id} in any service, or null. */
    BoundCertificate find(String id) {
        ManagedCertificates.Managed m = store.find(id);
        return m == null ? null : m.metadata;
    }

    /** A domain left its group: it no longer holds any attachment. */
    void forgetDomain(Domain domain) {
        store.forgetDomain(domain);
    }

    void clear() {
        store.clear();
    }

    /** The certificates themselves, for {@link WorldPersistence}; under the world's lock. */
    ManagedCertificates store() {
        return store;
    }

    private static ManagedView view(ManagedCertificates.Managed m) {
        return new ManagedView(m.service, m.metadata, m.updateTime, m.attachedTo.size());
    }
}
