package io.certform.plan;

import io.certform.state.ResourceState;
import java.util.Set;

/**
 * One planned change: action, what is recorded now ({@code before}), what should be ({@code after}), and why.
 *
 * @param before null for a create
 * @param after  null for a delete
 */
public record ResourceChange(String address, Action action, Set<Reason> reasons, ResourceState before,
                             DesiredBinding after) {
    public ResourceChange {
        reasons = Set.copyOf(reasons);
    }

    /**
     * A removal that only edits the state: the domain is gone from its group, or its certificate was already
     * removed outside certform, or the same certificate is recorded under another address (a move interrupted
     * half-way), so there is nothing to call.
     */
    public boolean forgetsOnly() {
        return action == Action.DELETE && (reasons.contains(Reason.DOMAIN_GONE)
                || reasons.contains(Reason.REMOVED_OUTSIDE) || reasons.contains(Reason.MOVED));
    }
}
