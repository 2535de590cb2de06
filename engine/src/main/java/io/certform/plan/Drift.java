package io.certform.plan;

import io.certform.state.ResourceState;
import java.util.List;

/**
 * A recorded binding that the remote side no longer matches.
 *
 * @param recorded what the state says
 * @param found       what the remote side has now (its ssl_id, name, serial, expiry); null when it has nothing
 * @param differences how the certificate found differs from the one recorded, as the identity rule names them
 * @param foreign     the certificate certform bound (the recorded ssl_id) is no longer on the domain, and what is
 *                    there certform did not bind: a removal leaves it alone and only forgets the binding
 */
public record Drift(String address, Kind kind, ResourceState recorded, ResourceState found, List<String> differences,
                    boolean foreign) {

    public Drift {
        differences = differences == null ? List.of() : List.copyOf(differences);
    }

    public Drift(String address, Kind kind, ResourceState recorded, ResourceState found, List<String> differences) {
        this(address, kind, recorded, found, differences, false);
    }

    /** The drifted object, told from the others ({@link ResourceState#key}): the key of the map of drift. */
    public String key() {
        return recorded != null ? recorded.key() : address;
    }

    /** What a {@link Kind#REMOVED} drift found, in words every view uses ("the domain carries no certificate ..."). */
    public String removal() {
        if (!recorded.shared()) {
            return "the domain carries no certificate any more";
        }
        if (recorded.certificateResource()) {
            return "certificate " + recorded.sslId() + " was deleted outside certform";
        }
        return "the domain is no longer attached to certificate " + recorded.sslId() + " (detached outside"
                + " certform; what the domain carries instead is left alone)";
    }

    public enum Kind {
        /** Another certificate is bound to the domain. */
        CHANGED,
        /**
         * What certform recorded is no longer there: the domain carries no certificate (per-domain model), the
         * shared certificate was deleted, or the domain was detached from it (the shared model: what the domain
         * carries instead is another's, and left alone).
         */
        REMOVED,
        /** The domain itself is gone from its group. */
        DOMAIN_GONE
    }
}
