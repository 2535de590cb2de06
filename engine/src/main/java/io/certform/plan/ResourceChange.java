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
}
