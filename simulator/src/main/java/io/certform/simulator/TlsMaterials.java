package io.certform.simulator;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The chain and key the TLS port presents for each certificate, by {@code ssl_id} (seed-bound or managed). Memory
 * only: {@link WorldFile} never sees them, so a world read from a file presents nothing until its domains are bound
 * again in this process. Not thread-safe on its own: {@link World} holds its lock around every use.
 */
final class TlsMaterials {

    /** What the TLS port presents for one name: now, and before the domain last changed what it presents. */
    record Presented(TlsMaterial now, TlsMaterial before) {
    }

    private final Map<String, TlsMaterial> bySslId = new HashMap<>();
    /** The managed certificates' metadata by id, to tell which certificate a domain presents. */
    private final Function<String, BoundCertificate> managed;
    /** Whether writes keep TLS material: only once a TLS port serves this world, so that others hold no keys. */
    private volatile boolean kept;

    TlsMaterials(Function<String, BoundCertificate> managed) {
        this.managed = managed;
    }

    /** True once a TLS port serves this world: from then on, binds keep what the port presents. */
    boolean kept() {
        return kept;
    }

    /** Called when a TLS port starts serving this world; certificates bound before are not presented. */
    void keepFromNow() {
        kept = true;
    }

    /** Keeps what certificate {@code sslId} presents; null forgets it (nothing to present). */
    void put(String sslId, TlsMaterial material) {
        if (material == null) {
            bySslId.remove(sslId);
        } else {
            bySslId.put(sslId, material);
        }
    }

    void remove(String sslId) {
        bySslId.remove(sslId);
    }

    /** What certificate {@code sslId} presents, or null. */
    TlsMaterial get(String sslId) {
        return bySslId.get(sslId);
    }

    /** The material of the certificate a domain's {@code ssl_id} names now, or null. */
    TlsMaterial presentedNow(Domain domain) {
        BoundCertificate c = domain.carried().primary(managed);
        return c == null ? null : bySslId.get(c.sslId());
    }

    /** After a change: when the domain now presents something else than {@code before}, remembers it. */
    void notePresentedChange(Domain domain, TlsMaterial before) {
        if (before != null && before != presentedNow(domain)) {
            domain.servedBefore = before;
        }
    }

    void clear() {
        bySslId.clear();
    }
}
