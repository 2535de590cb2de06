package io.certform.plan;

import java.util.List;

/**
 * Every change for one run, sorted by address, with the identity of the state it was planned against.
 *
 * @param lineage the prior state's lineage
 * @param serial  the prior state's serial
 */
public record Plan(List<ResourceChange> changes, String lineage, long serial) {
    public Plan {
        changes = List.copyOf(changes);
    }

    public long count(Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }

    /** Terraform's summary counts: a replace adds one and destroys one. */
    public long toAdd() {
        return count(Action.CREATE) + count(Action.REPLACE);
    }

    public long toChange() {
        return count(Action.UPDATE);
    }

    public long toDestroy() {
        return count(Action.DELETE) + count(Action.REPLACE);
    }

    public boolean hasChanges() {
        return changes.stream().anyMatch(c -> c.action().changes());
    }
}
