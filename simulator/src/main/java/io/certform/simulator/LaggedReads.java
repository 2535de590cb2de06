package io.certform.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * What the gateway's reads see of the domains' certificates: with a read lag, what a domain carried before its last
 * write, until the lag has passed since it ({@link Domain#visible}). Every method holds the {@link World}'s lock.
 */
final class LaggedReads {

    /**
     * One domain of a group detail: the certificate its {@code ssl_id} names and every certificate it carries
     * ({@code ssl_infos}).
     */
    record DomainSnapshot(String id, String urlDomain, BoundCertificate certificate, List<BoundCertificate> infos) {
        DomainSnapshot {
            infos = List.copyOf(infos);
        }
    }

    private final World world;

    LaggedReads(World world) {
        this.world = world;
    }

    /** True when a read at {@code at} sees every domain as its last write left it (the read lag has passed). */
    boolean showEveryWrite(World.At at) {
        synchronized (world) {
            for (Domain domain : world.everyDomain()) {
                if (domain.lagging(at)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The certificate {@code sslId} as a read at {@code at} sees it on the domain; 404 APIG.3021 otherwise. */
    BoundCertificate certificate(String instanceId, String groupId, String domainId, String sslId, World.At at) {
        synchronized (world) {
            BoundCertificate seen = world.domain(instanceId, groupId, domainId).visible(at).certificate();
            if (seen == null || !seen.sslId().equals(sslId)) {
                throw ApiError.certificateNotFound();
            }
            return seen;
        }
    }

    /** A consistent copy of one group's domains as a read at {@code at} sees them, for the group detail. */
    List<DomainSnapshot> groupDomains(String instanceId, String groupId, World.At at) {
        synchronized (world) {
            ManagedModel managed = world.managedModel();
            List<DomainSnapshot> rows = new ArrayList<>();
            for (Domain d : world.group(instanceId, groupId).domains.values()) {
                Domain.Carried seen = d.visible(at);
                rows.add(new DomainSnapshot(d.id, d.urlDomain, seen.primary(managed::find), seen.all(managed::find)));
            }
            return rows;
        }
    }
}
