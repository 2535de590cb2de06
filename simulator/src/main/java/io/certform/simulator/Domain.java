package io.certform.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A domain bound to a group, and what it carries: the truth, and what the gateway's reads see while the read lag
 * has not passed since the last write. Not thread-safe on its own: {@link World} holds its lock around every use.
 */
final class Domain {

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

        /**
         * The certificate named by the domain's {@code ssl_id}/{@code ssl_name}: the one the seed call bound, else
         * the first attached one that {@code managed} knows; null when it carries none.
         */
        BoundCertificate primary(Function<String, BoundCertificate> managed) {
            if (certificate != null) {
                return certificate;
            }
            for (String id : attached) {
                BoundCertificate m = managed.apply(id);
                if (m != null) {
                    return m;
                }
            }
            return null;
        }

        /** Every certificate carried ({@code ssl_infos}): the seed-bound one first, then the attached ones. */
        List<BoundCertificate> all(Function<String, BoundCertificate> managed) {
            if (isEmpty()) {
                return List.of();
            }
            List<BoundCertificate> all = new ArrayList<>(1 + attached.size());
            if (certificate != null) {
                all.add(certificate);
            }
            for (String id : attached) {
                BoundCertificate m = managed.apply(id);
                if (m != null) {
                    all.add(m);
                }
            }
            return all;
        }
    }

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
    java.time.Instant committedAt;
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

    /** True while a read at {@code at} still sees what the domain carried before its last write. */
    boolean lagging(World.At at) {
        return committedAt != null && !at.readLag().isZero() && at.now().isBefore(committedAt.plus(at.readLag()));
    }

    /** What a read at {@code at} sees on the domain. */
    Carried visible(World.At at) {
        return lagging(at) ? previous : carried();
    }

    /** Forgets what the domain carries and has carried: it stays in its group, bare. */
    void clear() {
        certificate = null;
        attached = List.of();
        certificatesBound = 0;
        previous = Carried.NONE;
        committedAt = null;
        servedBefore = null;
    }
}
