package io.certform.plan;

import io.certform.state.ResourceState;
import java.util.Set;

/**
 * One planned change: action, what is recorded now ({@code before}), what should be ({@code after}), and why.
 *
 * @param before null for a create
 * @param after   null for a delete
 * @param adopted for {@link Action#ADOPT}: the declared certificate as the domain carries it (its ssl_id), which
 *                the apply records without a call; null for every other action
 */
public record ResourceChange(String address, Action action, Set<Reason> reasons, ResourceState before,
                             DesiredBinding after, ResourceState adopted) {
    public ResourceChange {
        reasons = Set.copyOf(reasons);
        if ((action == Action.ADOPT) != (adopted != null)) {
            throw new IllegalArgumentException("an adoption, and only an adoption, names what it adopts: " + address);
        }
    }

    public ResourceChange(String address, Action action, Set<Reason> reasons, ResourceState before,
                          DesiredBinding after) {
        this(address, action, reasons, before, after, null);
    }

    /**
     * What tells this change from every other of a plan ({@link ResourceState#key}): its address, or, for the removal
     * of a deposed object, which keeps its address beside the live one's change, that object's key.
     */
    public String key() {
        return before != null && before.deposed() ? before.key() : address;
    }

    /** The name of the provider (gateway) of the object changed: {@code default} without a {@code provider.P.} prefix. */
    public String provider() {
        return ResourceState.providerOf(address);
    }

    /** The change removes an object a create-before-destroy deposed. */
    public boolean deposed() {
        return before != null && before.deposed();
    }

    /**
     * A removal that only edits the state: the domain is gone from its group, or its certificate was already
     * removed outside certform, or the same certificate is recorded under another address (a move interrupted
     * half-way), or the domain now carries a certificate certform did not bind (left alone), so there is nothing
     * to call.
     */
    public boolean forgetsOnly() {
        return action == Action.DELETE && (reasons.contains(Reason.DOMAIN_GONE)
                || reasons.contains(Reason.REMOVED_OUTSIDE) || reasons.contains(Reason.MOVED)
                || reasons.contains(Reason.FOREIGN_LEFT_ALONE));
    }
}
