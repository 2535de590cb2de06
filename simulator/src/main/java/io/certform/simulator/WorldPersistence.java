package io.certform.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link WorldFile} reads into a world and writes from it: bindings, managed certificates and counters restored
 * without counting them as new, and every instance, group, domain and managed certificate visited in order. Every
 * method holds the {@link World}'s lock.
 */
final class WorldPersistence {

    interface DomainVisitor {
        void instance(String instanceId);

        void group(String instanceId, String groupId);

        void domain(String instanceId, String groupId, String domainId, String urlDomain,
                    BoundCertificate certificate, int certificatesBound);

        /** After the last domain. */
        void end();
    }

    interface ManagedVisitor {
        void certificate(String service, BoundCertificate metadata, String updateTime,
                         List<ManagedModel.Attachment> attachedTo);
    }

    private final World world;

    WorldPersistence(World world) {
        this.world = world;
    }

    /** Restores a binding from a persisted world, without counting it as newly created. */
    void restoreBinding(String instanceId, String groupId, String domainId, BoundCertificate certificate,
                        int certificatesBound) {
        synchronized (world) {
            Domain domain = world.domain(instanceId, groupId, domainId);
            domain.certificate = certificate;
            domain.certificatesBound = certificatesBound;
            world.changed();
        }
    }

    /** Restores a managed certificate and its attachments ({instance, group, domain} ids each). */
    void restoreManaged(String service, BoundCertificate metadata, String updateTime, List<String[]> attachedTo) {
        synchronized (world) {
            ManagedCertificates.Managed m = world.managedModel().store().add(service, metadata, updateTime, false);
            for (String[] where : attachedTo) {
                Domain d = world.domain(where[0], where[1], where[2]);
                List<String> next = new ArrayList<>(d.attached);
                next.add(m.id);
                d.attached = List.copyOf(next);
                m.attachedTo.add(d);
            }
            world.changed();
        }
    }

    void restoreManagedCounters(long created, long updated) {
        synchronized (world) {
            world.managedModel().store().restoreCounters(created, updated);
            world.changed();
        }
    }

    /** Visits every instance, group and domain in order. */
    void forEachDomain(DomainVisitor visitor) {
        synchronized (world) {
            for (World.Instance instance : world.instances()) {
                visitor.instance(instance.id);
                for (World.Group group : instance.groups.values()) {
                    visitor.group(instance.id, group.id);
                    for (Domain domain : group.domains.values()) {
                        visitor.domain(instance.id, group.id, domain.id, domain.urlDomain, domain.certificate,
                                domain.certificatesBound);
                    }
                }
            }
            visitor.end();
        }
    }

    /** Every managed certificate with the domains it is attached to now (the truth, not what a read sees). */
    void forEachManaged(ManagedVisitor visitor) {
        synchronized (world) {
            for (ManagedCertificates.Managed m : world.managedModel().store().all()) {
                List<ManagedModel.Attachment> to = new ArrayList<>(m.attachedTo.size());
                for (Domain d : m.attachedTo) {
                    to.add(new ManagedModel.Attachment(d.instanceId, d.groupId, d.id, d.urlDomain));
                }
                visitor.certificate(m.service, m.metadata, m.updateTime, to);
            }
        }
    }
}
