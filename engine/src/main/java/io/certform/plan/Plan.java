package io.certform.plan;

import java.util.List;

/**
 * Every change for one run, sorted by address, with the identity of the state it was planned against.
 *
 * @param lineage     the prior state's lineage
 * @param serial      the prior state's serial
 * @param attachChunk the most domains one attach or detach call names (the shared model's batch size)
 */
public record Plan(List<ResourceChange> changes, String lineage, long serial, int attachChunk) {
    public static final int DEFAULT_ATTACH_CHUNK = io.certform.manifest.Provider.DEFAULT_ATTACH_CHUNK;

    public Plan {
        changes = List.copyOf(changes);
        if (attachChunk < 1) {
            throw new IllegalArgumentException("attachChunk must be at least 1");
        }
    }

    public Plan(List<ResourceChange> changes, String lineage, long serial) {
        this(changes, lineage, serial, DEFAULT_ATTACH_CHUNK);
    }

    /** The same plan with other changes (filtered by targets, or without unsettled addresses). */
    public Plan with(List<ResourceChange> other) {
        return new Plan(other, lineage, serial, attachChunk);
    }

    /** The same plan, attaching {@code chunk} domains per call. */
    public Plan attachingInChunksOf(int chunk) {
        return new Plan(changes, lineage, serial, chunk);
    }

    public long count(Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }

    /** Terraform's summary counts: a replace adds one and destroys one. */
    public long toAdd() {
        return count(Action.CREATE) + count(Action.REPLACE) + count(Action.CREATE_THEN_DELETE);
    }

    /** Bindings already in place on their domain, recorded without a call: never counted as creates. */
    public long toAdopt() {
        return count(Action.ADOPT);
    }

    public long toChange() {
        return count(Action.UPDATE);
    }

    public long toDestroy() {
        return count(Action.DELETE) + count(Action.REPLACE) + count(Action.CREATE_THEN_DELETE);
    }

    public boolean hasChanges() {
        return changes.stream().anyMatch(c -> c.action().changes());
    }
}
