package io.certform.state;

/** The optimistic-concurrency rule every store applies before a write. */
public final class Succession {

    private Succession() {
    }

    /** Refuses {@code next} unless it follows {@code stored} (null: nothing stored). */
    public static void check(State stored, State next, String where) throws StateConflictException {
        if (stored == null) {
            if (next.serial() != 1) {
                throw new StateConflictException(where + " holds no state, so the first write must be serial 1, not "
                        + next.serial() + ": the state was removed while this run used it. Nothing was written;"
                        + " run certform again.");
            }
            return;
        }
        if (!stored.lineage().equals(next.lineage())) {
            throw new StateConflictException(where + " holds another state (lineage " + stored.lineage()
                    + ") than the one this run started from (lineage " + next.lineage() + "): it was replaced"
                    + " meanwhile. Nothing was written; check which state is right, then run certform again.");
        }
        if (stored.serial() != next.serial() - 1) {
            throw new StateConflictException(where + " is at serial " + stored.serial() + ", but this write follows"
                    + " serial " + (next.serial() - 1) + ": another run wrote the state meanwhile. Nothing was"
                    + " written; run certform again (plan first) so the change is made against the current state.");
        }
    }

    /** Refuses to record onto {@code base} unless a write after it would follow {@code stored}. */
    public static void checkBase(State stored, State base, String where) throws StateConflictException {
        check(stored, base.next(base.resources(), base.certformVersion()), where);
    }
}
